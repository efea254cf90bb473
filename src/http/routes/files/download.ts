import { createRoute, z } from "@hono/zod-openapi";
import { openFileLink } from "../../../services/executions/download";
import type { Router } from "../../router";
import { authErrors, errorResponse, reportFileContent } from "../common";

const route = createRoute({
  method: "get",
  path: "/{token}",
  tags: ["Executions"],
  summary: "The file behind a signed download link (no session needed)",
  request: { params: z.object({ token: z.string().max(2048) }) },
  responses: {
    200: { description: "The report file, with its own content type", content: reportFileContent },
    404: authErrors[404],
    410: errorResponse("The link expired, or the file is no longer kept (link_expired, file_gone)"),
    429: errorResponse("Too many downloads of this link or from this address (30 a minute each); see Retry-After (rate_limited)"),
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const file = await openFileLink(c.env, c.req.valid("param").token, new Date(), c.req.header("cf-connecting-ip") ?? null);
    return fileResponse(file) as never;
  });

/** The file as an attachment that is never cached, sniffed or shown inline. */
export function fileResponse({ object, fileName }: { object: R2ObjectBody; fileName: string }) {
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("Content-Disposition", `attachment; filename="${fileName.replace(/"/g, "")}"`);
  headers.set("Content-Length", String(object.size));
  headers.set("Cache-Control", "private, no-store");
  headers.set("X-Content-Type-Options", "nosniff");
  return new Response(object.body, { status: 200, headers });
}
