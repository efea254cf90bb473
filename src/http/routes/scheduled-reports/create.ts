import { createRoute } from "@hono/zod-openapi";
import { createScheduledReport } from "../../../services/scheduled-reports/create";
import { CreateScheduledReportSchema, ScheduledReportSchema } from "../../../services/scheduled-reports/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, errorResponse, IdempotencyHeaders, idempotentPost, jsonBody, jsonContent } from "../common";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Scheduled reports"],
  summary: "Create a scheduled report",
  security: bearerSecurity,
  middleware: idempotentPost.middleware("editor"),
  request: { ...jsonBody(CreateScheduledReportSchema), headers: IdempotencyHeaders },
  responses: {
    201: jsonContent(ScheduledReportSchema, "The created report, with nextRunAt"),
    ...authErrors,
    422: errorResponse(
      "Over one of the organization's quotas (quota_exceeded), or this Idempotency-Key was used with a different request (idempotency_key_reused); nothing was changed",
    ),
    409: idempotentPost.idempotencyErrors[409],
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const report = await createScheduledReport({ ctx: serviceContext(c), input: c.req.valid("json") });
    return c.json(report, 201);
  });
