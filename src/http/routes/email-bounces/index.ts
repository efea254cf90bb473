import { newRouter } from "../../router";
import receive from "./receive";

/**
 * Mounted at /email/bounces, without a session: the provider authenticates with its own signature
 * (Resend: Standard Webhooks headers from Svix; SendGrid: the Signed Event Webhook's ECDSA).
 */
export const emailBouncesRoutes = () => {
  const app = newRouter();
  for (const register of [receive]) register(app);
  return app;
};
