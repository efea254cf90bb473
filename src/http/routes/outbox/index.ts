import { protectedRouter } from "../../router";
import attachment from "./attachment";
import get from "./get";
import list from "./list";

/** Mounted at /outbox (admins only): the emails kept instead of sent under local development; 404 elsewhere. */
export const outboxRoutes = () => {
  const app = protectedRouter();
  for (const register of [list, get, attachment]) register(app);
  return app;
};
