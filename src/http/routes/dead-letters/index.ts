import { protectedRouter } from "../../router";
import list from "./list";
import replay from "./replay";

export const deadLettersRoutes = () => {
  const app = protectedRouter();
  for (const register of [list, replay]) register(app);
  return app;
};
