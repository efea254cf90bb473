import { createRoute } from "@hono/zod-openapi";
import { ScheduledReportSchema } from "../../../services/scheduled-reports/schema";
import { setScheduledReportActive } from "../../../services/scheduled-reports/set-active";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam, jsonContent, quotaError } from "../common";

const routeFor = (verb: "pause" | "resume") =>
  createRoute({
    method: "post",
    path: `/{id}/${verb}`,
    tags: ["Scheduled reports"],
    summary: verb === "pause" ? "Pause a report" : "Resume a report (nextRunAt is recomputed from now)",
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonContent(ScheduledReportSchema, "The report"), ...authErrors, ...quotaError },
  });

export default (app: Router) =>
  app
    .openapi(routeFor("pause"), async (c) =>
      c.json(await setScheduledReportActive({ ctx: serviceContext(c), id: c.req.valid("param").id, active: false }), 200),
    )
    .openapi(routeFor("resume"), async (c) =>
      c.json(await setScheduledReportActive({ ctx: serviceContext(c), id: c.req.valid("param").id, active: true }), 200),
    );
