import { requireOperator } from "../../middleware/operator-auth";
import { newRouter } from "../../router";
import alerts from "./alerts";
import create from "./create";
import list from "./list";
import quotas from "./quotas";
import update from "./update";

/** The operator API: provisioning and mapping organizations, authenticated by the operator token. */
export const operatorRoutes = () => {
  const app = newRouter();
  app.use("*", requireOperator);
  for (const register of [create, list, update, alerts, quotas]) register(app);
  return app;
};
