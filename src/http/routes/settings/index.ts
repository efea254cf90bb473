import { protectedRouter } from "../../router";
import get from "./get";
import sampleData from "./sample-data";
import update from "./update";

export const settingsRoutes = () => {
  const app = protectedRouter();
  for (const register of [get, update, sampleData]) register(app);
  return app;
};
