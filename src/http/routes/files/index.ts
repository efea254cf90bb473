import { newRouter } from "../../router";
import download from "./download";
import downloadPosted from "./download-posted";

export const filesRoutes = () => {
  const app = newRouter();
  for (const register of [download, downloadPosted]) register(app);
  return app;
};
