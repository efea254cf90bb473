import { protectedRouter } from "../../router";
import get from "./get";
import series from "./series";

export const metricsRoutes = () => {
  const app = protectedRouter();
  for (const register of [get, series]) register(app);
  return app;
};
