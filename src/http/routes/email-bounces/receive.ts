import { createRoute, z } from "@hono/zod-openapi";
import { receiveBounceWebhook } from "../../../services/deliveries/record-bounce";
import type { Router } from "../../router";
import { ErrorSchema, jsonContent } from "../common";

const route = createRoute({
  method: "post",
  path: "/{provider}",
  tags: ["Email"],
  summary: "A provider's bounce and complaint events (signed by the provider)",
  request: {
    params: z.object({ provider: z.enum(["resend", "sendgrid"]).openapi({ param: { name: "provider", in: "path" } }) }),
    body: {
      content: { "application/json": { schema: z.unknown().openapi({ description: "The provider's event payload, verified against its signature" }) } },
      required: true,
    },
  },
  responses: {
    200: jsonContent(z.object({ received: z.number(), applied: z.number(), ignored: z.number() }), "Events read; bounced addresses suppressed"),
    400: { content: { "application/json": { schema: ErrorSchema } }, description: "Not the provider's payload" },
    401: { content: { "application/json": { schema: ErrorSchema } }, description: "Missing or wrong signature" },
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    // The signature covers the exact bytes, so the raw body is what is verified and parsed.
    const result = await receiveBounceWebhook(c.env, c.req.valid("param").provider, { headers: c.req.raw.headers, body: await c.req.text() }, new Date());
    return c.json(result, 200);
  });
