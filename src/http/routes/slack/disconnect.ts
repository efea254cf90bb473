import { createRoute } from "@hono/zod-openapi";
import { disconnectSlack } from "../../../services/slack/disconnect";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity } from "../common";

const route = createRoute({
  method: "delete",
  path: "/",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "Disconnect the Slack app and forget its token (admins)",
  responses: { 204: { description: "Disconnected (also when none was connected)" }, ...authErrors },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    await disconnectSlack({ ctx: serviceContext(c) });
    return c.body(null, 204);
  });
