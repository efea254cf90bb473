import { protectedRouter } from "../../router";
import create from "./create";
import list from "./list";
import revoke from "./revoke";

export const apiKeysRoutes = () => {
  const app = protectedRouter();
  for (const register of [list, create, revoke]) register(app);
  return app;
};
