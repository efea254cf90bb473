import { createRoute } from "@hono/zod-openapi";
import { connectSlack } from "../../../services/slack/connect";
import { ConnectSlackSchema, SlackConnectionSchema } from "../../../services/slack/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonBody, jsonContent } from "../common";

const route = createRoute({
  method: "put",
  path: "/",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "Connect a Slack app by its bot token, checked with auth.test and stored encrypted (admins)",
  request: jsonBody(ConnectSlackSchema),
  responses: { 200: jsonContent(SlackConnectionSchema, "Connected"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await connectSlack({ ctx: serviceContext(c), input: c.req.valid("json") }), 200));
