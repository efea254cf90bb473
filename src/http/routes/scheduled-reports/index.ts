import { newRouter } from "../../router";
import create from "./create";
import remove from "./delete";
import get from "./get";
import list from "./list";
import pauseResume from "./pause-resume";
import update from "./update";

export const scheduledReportsRoutes = () => {
  const app = newRouter();
  for (const register of [create, list, get, update, remove, pauseResume]) register(app);
  return app;
};
