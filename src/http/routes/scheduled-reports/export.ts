import { createRoute, z } from "@hono/zod-openapi";
import { toPortableYaml } from "../../../lib/yaml";
import { exportScheduledReports } from "../../../services/scheduled-reports/export";
import { ReportDefinitionSchema } from "../../../services/scheduled-reports/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, errorResponse } from "../common";

const ExportSchema = z.object({ reports: z.array(ReportDefinitionSchema) }).openapi("ReportsDocument");

const route = createRoute({
  method: "get",
  path: "/export",
  tags: ["Schedules as code"],
  security: bearerSecurity,
  summary: "The organization's reports as one document (JSON, or YAML with ?format=yaml), up to 5 MiB",
  request: { query: z.object({ format: z.enum(["json", "yaml"]).default("json") }) },
  responses: {
    200: {
      content: { "application/json": { schema: ExportSchema }, "application/yaml": { schema: z.string() } },
      description:
        "Every report with a key (a generated one, with `adopt`, for reports that have none); apply takes this document back. The YAML quotes every string a YAML 1.1 reader would read as another type.",
    },
    ...authErrors,
    413: errorResponse("The document would be larger than the export allows (payload_too_large); the message names the limit"),
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const document = await exportScheduledReports({ ctx: serviceContext(c) });
    if (c.req.valid("query").format === "yaml") {
      return c.body(toPortableYaml(document), 200, { "content-type": "application/yaml; charset=utf-8" });
    }
    return c.json(document, 200);
  });
