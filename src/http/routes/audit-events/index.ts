import { protectedRouter } from "../../router";
import list from "./list";

export const auditEventsRoutes = () => {
  const app = protectedRouter();
  for (const register of [list]) register(app);
  return app;
};
