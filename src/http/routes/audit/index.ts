import { protectedRouter } from "../../router";
import download from "./archives-download";
import list from "./archives-list";

/** Mounted at /audit: the audit events retention moved to R2 (the live log is /audit-events). */
export const auditRoutes = () => {
  const app = protectedRouter();
  for (const register of [list, download]) register(app);
  return app;
};
