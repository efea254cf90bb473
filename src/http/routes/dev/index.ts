import { newRouter } from "../../router";
import seed from "./seed";

/** Local development only: see seed.ts. */
export const devRoutes = () => {
  const app = newRouter();
  for (const register of [seed]) register(app);
  return app;
};
