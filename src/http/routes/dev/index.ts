import { newRouter } from "../../router";
import counters from "./counters";
import seed from "./seed";

/** Local development only: see seed.ts and counters.ts. */
export const devRoutes = () => {
  const app = newRouter();
  for (const register of [seed, counters]) register(app);
  return app;
};
