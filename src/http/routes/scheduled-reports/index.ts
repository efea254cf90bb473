import { protectedRouter } from "../../router";
import create from "./create";
import remove from "./delete";
import get from "./get";
import list from "./list";
import pauseResume from "./pause-resume";
import run from "./run";
import update from "./update";

export const scheduledReportsRoutes = () => {
  const app = protectedRouter();
  for (const register of [create, list, get, update, remove, pauseResume, run]) register(app);
  return app;
};
