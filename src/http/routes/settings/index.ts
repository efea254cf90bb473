import { protectedRouter } from "../../router";
import get from "./get";
import update from "./update";

export const settingsRoutes = () => {
  const app = protectedRouter();
  for (const register of [get, update]) register(app);
  return app;
};
