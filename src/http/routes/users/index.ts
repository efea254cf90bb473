import { protectedRouter } from "../../router";
import create from "./create";
import remove from "./delete";
import list from "./list";
import update from "./update";

export const usersRoutes = () => {
  const app = protectedRouter();
  for (const register of [list, create, update, remove]) register(app);
  return app;
};
