import { createRoute } from "@hono/zod-openapi";
import { getSlackConnection } from "../../../services/slack/get";
import { SlackConnectionSchema } from "../../../services/slack/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent } from "../common";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "Whether a Slack app is connected, and to which workspace (never the token)",
  responses: { 200: jsonContent(SlackConnectionSchema, "The connection"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getSlackConnection({ ctx: serviceContext(c) }), 200));
