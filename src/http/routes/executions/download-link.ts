import { createRoute, z } from "@hono/zod-openapi";
import { createDownloadLink } from "../../../services/executions/download";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, errorResponse, IdParam, jsonContent } from "../common";

const route = createRoute({
  method: "get",
  path: "/{id}/download",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "A signed download link to the execution's file, valid 7 days",
  request: { params: IdParam },
  responses: {
    200: jsonContent(z.object({ url: z.string(), expiresAt: z.string() }), "The link"),
    ...authErrors,
    ...conflictError,
    410: errorResponse("The file is no longer kept (retention)"),
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await createDownloadLink({ ctx: serviceContext(c), id: c.req.valid("param").id }), 200));
