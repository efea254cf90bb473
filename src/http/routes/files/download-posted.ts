import { createRoute, z } from "@hono/zod-openapi";
import { openFileLink } from "../../../services/executions/download";
import type { Router } from "../../router";
import { authErrors } from "../common";
import { fileResponse } from "./download";

/*
 * The same download with the token in the body instead of the URL: request URLs are what the
 * platform's invocation logs, proxies and `wrangler dev` record, bodies are not (#23). Programs that
 * receive a `file_url` may send its last path segment here; the GET form keeps working.
 */
const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Executions"],
  summary: "The file behind a signed download link, the token sent in the body (keeps it out of request URLs)",
  request: { body: { required: true, content: { "application/json": { schema: z.object({ token: z.string().min(1).max(2048) }).strict() } } } },
  responses: {
    200: { description: "The report file", content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } } },
    400: authErrors[400],
    404: authErrors[404],
    410: { description: "The link expired or the file is no longer kept" },
    429: { description: "Too many downloads of this link or from this address (30 a minute each); see Retry-After" },
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const file = await openFileLink(c.env, c.req.valid("json").token, new Date(), c.req.header("cf-connecting-ip") ?? null);
    return fileResponse(file) as never;
  });
