import { protectedRouter } from "../../router";
import get from "./get";

/** Mounted at /deliveries (session required). */
export const deliveriesRoutes = () => {
  const app = protectedRouter();
  for (const register of [get]) register(app);
  return app;
};
