import type { MiddlewareHandler } from "hono";
import { config } from "../../config";
import type { AppEnv } from "../../env";
import { log } from "../../lib/log";

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Gives every request an id (kept from a trusted-looking caller header), echoes it and logs one line. */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", requestId);
  const started = Date.now();
  try {
    // A bad configuration fails here, at the first request, with a message that names the variable.
    config(c.env);
    await next();
  } finally {
    c.header("X-Request-Id", requestId);
    const auth = c.var.auth as AppEnv["Variables"]["auth"] | undefined;
    log(c.res.status >= 500 ? "error" : "info", "request", {
      requestId,
      method: c.req.method,
      // A download link's token is a credential: it never reaches the logs.
      path: c.req.path.replace(/^\/api\/files\/[^/]+/, "/api/files/[token]"),
      status: c.res.status,
      durationMs: Date.now() - started,
      userId: auth?.userId ?? undefined,
      apiKeyId: auth?.apiKeyId ?? undefined,
      organizationId: auth?.organizationId,
    });
  }
};
