import { newRouter } from "../../router";
import login from "./login";
import logout from "./logout";
import me from "./me";
import signup from "./signup";

export const authRoutes = () => {
  const app = newRouter();
  for (const register of [signup, login, logout, me]) register(app);
  return app;
};
