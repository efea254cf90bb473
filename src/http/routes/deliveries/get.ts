import { createRoute, z } from "@hono/zod-openapi";
import { FAILURE_CLASSES, RECIPIENT_TYPES } from "../../../db/schema";
import { getDelivery } from "../../../services/deliveries/get";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam, jsonContent } from "../common";

const Attempt = z.object({
  attempt: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: z.enum(["sent", "retry", "failed", "bounced"]).nullable(),
  failureClass: z.enum(FAILURE_CLASSES).nullable(),
  httpStatus: z.number().nullable(),
  error: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  retryAt: z.string().nullable(),
});

const DeliverySchema = z
  .object({
    id: z.string(),
    executionId: z.string(),
    recipientType: z.enum(RECIPIENT_TYPES),
    recipientValue: z.string(),
    status: z.enum(["pending", "sent", "failed", "bounced"]),
    attempts: z.number(),
    lastError: z.string().nullable(),
    failureClass: z.enum(FAILURE_CLASSES).nullable(),
    nextAttemptAt: z.string().nullable(),
    providerMessageId: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    history: z.array(Attempt),
  })
  .openapi("DeliveryWithAttempts");

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "One delivery with every attempt made at it",
  request: { params: IdParam },
  responses: { 200: jsonContent(DeliverySchema, "The delivery"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getDelivery({ ctx: serviceContext(c), id: c.req.valid("param").id }), 200));
