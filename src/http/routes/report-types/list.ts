import { createRoute, z } from "@hono/zod-openapi";
import { FORMATS } from "../../../db/schema";
import { listAvailableReportTypes } from "../../../services/report-types/list";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent } from "../common";

const ReportTypeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    formats: z.array(z.enum(FORMATS)),
    source: z
      .object({ kind: z.enum(["d1", "postgres"]), name: z.string() })
      .openapi({ description: "The database the report reads: a D1 binding or a Postgres through Hyperdrive" }),
    parameters: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema of the parameters" }),
    enabled: z.boolean(),
  })
  .openapi("ReportType");

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Report types"],
  security: bearerSecurity,
  summary: "The report types that can be scheduled",
  responses: { 200: jsonContent(z.object({ items: z.array(ReportTypeSchema), nextCursor: z.null() }), "Report types"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listAvailableReportTypes({ ctx: serviceContext(c) }), 200));
