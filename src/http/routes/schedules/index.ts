import { protectedRouter } from "../../router";
import preview from "./preview";

export const schedulesRoutes = () => {
  const app = protectedRouter();
  for (const register of [preview]) register(app);
  return app;
};
