import { createRoute, z } from "@hono/zod-openapi";
import { FORMATS } from "../../../db/schema";
import { isValidTimeZone } from "../../../lib/schedule";
import { listAvailableReportTypes } from "../../../services/report-types/list";
import { previewReportType } from "../../../services/report-types/preview";
import { protectedRouter, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonBody, jsonContent } from "../common";

const ReportTypeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    formats: z.array(z.enum(FORMATS)),
    parameters: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema of the parameters" }),
    enabled: z.boolean(),
  })
  .openapi("ReportType");

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
});

const tags = ["Report types"];

export const reportTypesRoutes = () =>
  protectedRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags,
        security: bearerSecurity,
        summary: "The report types that can be scheduled",
        responses: { 200: jsonContent(z.object({ items: z.array(ReportTypeSchema), nextCursor: z.null() }), "Report types"), ...authErrors },
      }),
      async (c) => c.json(await listAvailableReportTypes({ ctx: serviceContext(c) }), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/preview",
        tags,
        security: bearerSecurity,
        summary: "The first rows of a report with these parameters, for the wizard",
        request: { params: z.object({ id: z.string().max(64) }), ...jsonBody(PreviewSchema) },
        responses: { 200: jsonContent(PreviewResultSchema, "Preview"), ...authErrors },
      }),
      async (c) => c.json(await previewReportType({ ctx: serviceContext(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200),
    );
