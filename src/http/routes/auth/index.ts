import { newRouter } from "../../router";
import acceptInvitation from "./accept-invitation";
import login from "./login";
import logout from "./logout";
import me from "./me";
import signup from "./signup";

export const authRoutes = () => {
  const app = newRouter();
  for (const register of [signup, login, logout, me, acceptInvitation]) register(app);
  return app;
};
