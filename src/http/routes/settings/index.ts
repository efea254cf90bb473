import { protectedRouter } from "../../router";
import get from "./get";
import quotas from "./quotas";
import sampleData from "./sample-data";
import update from "./update";

export const settingsRoutes = () => {
  const app = protectedRouter();
  for (const register of [get, update, sampleData, quotas]) register(app);
  return app;
};
