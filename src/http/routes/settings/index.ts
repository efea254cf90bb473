import { protectedRouter } from "../../router";
import alertRoutesGet from "./alert-routes-get";
import alertRoutesUpdate from "./alert-routes-update";
import get from "./get";
import quotas from "./quotas";
import sampleData from "./sample-data";
import update from "./update";

export const settingsRoutes = () => {
  const app = protectedRouter();
  for (const register of [get, update, sampleData, quotas, alertRoutesGet, alertRoutesUpdate]) register(app);
  return app;
};
