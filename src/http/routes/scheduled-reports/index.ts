import { protectedRouter } from "../../router";
import apply from "./apply";
import create from "./create";
import remove from "./delete";
import exportDocument from "./export";
import get from "./get";
import list from "./list";
import pauseResume from "./pause-resume";
import run from "./run";
import update from "./update";

export const scheduledReportsRoutes = () => {
  const app = protectedRouter();
  // The document routes come before /{id}, which would otherwise take "export" for an id.
  for (const register of [exportDocument, apply, create, list, get, update, remove, pauseResume, run]) register(app);
  return app;
};
