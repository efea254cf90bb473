import { protectedRouter } from "../../router";
import list from "./list";

export const alertsRoutes = () => {
  const app = protectedRouter();
  for (const register of [list]) register(app);
  return app;
};
