import { createRoute, z } from "@hono/zod-openapi";
import { sendTestMessage } from "../../../services/recipients/send-test";
import { RecipientSchema } from "../../../services/scheduled-reports/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, errorResponse, jsonBody, jsonContent } from "../common";

const route = createRoute({
  method: "post",
  path: "/test",
  tags: ["Scheduled reports"],
  security: bearerSecurity,
  summary: "Send a test message to a recipient through its channel",
  request: jsonBody(RecipientSchema),
  responses: {
    200: jsonContent(z.object({ sent: z.boolean(), providerMessageId: z.string().nullable() }), "Delivered"),
    ...authErrors,
    422: errorResponse("The channel refused the test message (test_delivery_failed)"),
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await sendTestMessage({ ctx: serviceContext(c), input: c.req.valid("json") }), 200));
