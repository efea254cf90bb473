import { createRoute, z } from "@hono/zod-openapi";
import { isValidTimeZone } from "../../../lib/schedule";
import { previewReportType } from "../../../services/report-types/preview";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonBody, jsonContent } from "../common";

const PreviewSchema = z
  .object({
    parameters: z.record(z.string(), z.unknown()).default({}),
    timezone: z.string().default("UTC").refine(isValidTimeZone, "Not an IANA timezone"),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();

const PreviewResultSchema = z.object({
  columns: z.array(z.object({ key: z.string(), label: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  hasMore: z.boolean(),
  description: z.string(),
  emptyHint: z.string().nullable().openapi({
    description:
      "When there are no rows: why, for this report type's data source (whether sample data can fill it, or the data is there and the parameters match none); null when there are rows",
  }),
});

const route = createRoute({
  method: "post",
  path: "/{id}/preview",
  tags: ["Report types"],
  security: bearerSecurity,
  summary: "The first rows of a report with these parameters, for the wizard",
  request: { params: z.object({ id: z.string().max(64) }), ...jsonBody(PreviewSchema) },
  responses: { 200: jsonContent(PreviewResultSchema, "Preview"), ...authErrors },
});

export default (app: Router) =>
  app.openapi(route, async (c) => c.json(await previewReportType({ ctx: serviceContext(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200));
