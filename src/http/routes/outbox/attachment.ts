import { createRoute } from "@hono/zod-openapi";
import { openOutboxAttachment } from "../../../services/outbox/get";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam, reportFileContent } from "../common";

const route = createRoute({
  method: "get",
  path: "/{id}/attachment",
  tags: ["Local development"],
  security: bearerSecurity,
  summary: "The kept email's attachment",
  request: { params: IdParam },
  responses: {
    200: { description: "The attachment, with its own content type", content: reportFileContent },
    ...authErrors,
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const { object, fileName, contentType } = await openOutboxAttachment({ ctx: serviceContext(c), id: c.req.valid("param").id });
    const headers = new Headers({
      "content-type": contentType,
      "content-disposition": `attachment; filename="${fileName.replace(/"/g, "")}"`,
      "content-length": String(object.size),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    });
    return new Response(object.body, { status: 200, headers }) as never;
  });
