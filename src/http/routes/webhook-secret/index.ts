import { protectedRouter } from "../../router";
import get from "./get";
import rotate from "./rotate";

/** Mounted at /settings/webhook-secret (admins only; the auth middleware of /settings applies). */
export const webhookSecretRoutes = () => {
  const app = protectedRouter();
  for (const register of [get, rotate]) register(app);
  return app;
};
