import { protectedRouter } from "../../router";
import list from "./list";
import preview from "./preview";

export const reportTypesRoutes = () => {
  const app = protectedRouter();
  for (const register of [list, preview]) register(app);
  return app;
};
