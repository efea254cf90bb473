import { newRouter } from "../../router";
import acceptInvitation from "./accept-invitation";
import changePassword from "./change-password";
import login from "./login";
import logout from "./logout";
import me from "./me";
import passwordReset from "./password-reset";
import passwordResetConfirm from "./password-reset-confirm";
import signup from "./signup";

export const authRoutes = () => {
  const app = newRouter();
  for (const register of [signup, login, logout, me, acceptInvitation, changePassword, passwordReset, passwordResetConfirm]) register(app);
  return app;
};
