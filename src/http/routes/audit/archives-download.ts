import { createRoute, z } from "@hono/zod-openapi";
import { openAuditArchive } from "../../../services/audit/download-archive";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity } from "../common";
import { DayParam } from "./schema";

const route = createRoute({
  method: "get",
  path: "/archives/{day}",
  tags: ["Audit"],
  security: bearerSecurity,
  summary: "One UTC day's archived audit events, one JSON event a line (admin)",
  request: { params: DayParam },
  responses: {
    200: { description: "The events, oldest first", content: { "application/x-ndjson": { schema: z.string() } } },
    ...authErrors,
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const { object, fileName } = await openAuditArchive({ ctx: serviceContext(c), day: c.req.valid("param").day });
    const headers = new Headers({
      "content-type": "application/x-ndjson",
      "content-disposition": `attachment; filename="${fileName}"`,
      "content-length": String(object.size),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    });
    return new Response(object.body, { status: 200, headers }) as never;
  });
