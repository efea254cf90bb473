import { newRouter } from "../../router";
import download from "./download";

export const filesRoutes = () => {
  const app = newRouter();
  for (const register of [download]) register(app);
  return app;
};
