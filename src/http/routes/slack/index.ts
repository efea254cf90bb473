import { protectedRouter } from "../../router";
import connect from "./connect";
import disconnect from "./disconnect";
import get from "./get";

/** Mounted at /settings/slack (the auth middleware of /settings applies; the verbs check roles). */
export const slackRoutes = () => {
  const app = protectedRouter();
  for (const register of [get, connect, disconnect]) register(app);
  return app;
};
