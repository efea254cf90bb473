import { protectedRouter } from "../../router";
import get from "./get";

export const metricsRoutes = () => {
  const app = protectedRouter();
  for (const register of [get]) register(app);
  return app;
};
