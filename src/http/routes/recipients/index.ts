import { protectedRouter } from "../../router";
import sendTest from "./send-test";

export const recipientsRoutes = () => {
  const app = protectedRouter();
  for (const register of [sendTest]) register(app);
  return app;
};
