import { createRoute, z } from "@hono/zod-openapi";
import { applyScheduledReports } from "../../../services/scheduled-reports/apply";
import { ApplyDocumentSchema, ApplyPlanSchema } from "../../../services/scheduled-reports/schema";
import { YAML_MEDIA_TYPES, yamlBody } from "../../middleware/yaml-body";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, quotaError } from "../common";

const route = createRoute({
  method: "post",
  path: "/apply",
  tags: ["Schedules as code"],
  security: bearerSecurity,
  summary: "Make the organization's keyed reports match a document (admins)",
  description:
    "Creates, adopts, updates and (with prune) deletes reports matched by key; an entry whose key is new adopts a report without a key named by `adopt`, or one with an identical definition, instead of creating a second one. Every entry is validated first; an error names its path in the document and nothing changes. With dryRun=true the plan is returned and nothing changes. The body is JSON or YAML (application/yaml or text/yaml, read as YAML 1.2).",
  middleware: [yamlBody],
  request: {
    query: z.object({ dryRun: z.enum(["true", "false"]).default("false").openapi({ description: "Return the plan without applying it" }) }),
    body: {
      content: {
        "application/json": { schema: ApplyDocumentSchema },
        ...Object.fromEntries(YAML_MEDIA_TYPES.map((type) => [type, { schema: ApplyDocumentSchema }])),
      },
      required: true,
    },
  },
  responses: { 200: jsonContent(ApplyPlanSchema, "The plan, and whether it was applied"), ...authErrors, ...quotaError },
});

export default (app: Router) =>
  app.openapi(route, async (c) =>
    c.json(await applyScheduledReports({ ctx: serviceContext(c), input: c.req.valid("json"), dryRun: c.req.valid("query").dryRun === "true" }), 200),
  );
