import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { DomainError } from "../../errors";

const MAX_BODY_BYTES = 256 * 1024;
/** Providers post bounce events in batches that can be larger. */
const MAX_PROVIDER_EVENT_BYTES = 5 * 1024 * 1024;

/** A body that is not JSON is refused up front, so no validator ever silently skips it. */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  if (method === "POST" || method === "PATCH" || method === "PUT") {
    const length = Number(c.req.header("content-length") ?? 0);
    const limit = c.req.path.startsWith("/api/email/bounces") ? MAX_PROVIDER_EVENT_BYTES : MAX_BODY_BYTES;
    if (length > limit) throw new DomainError("payload_too_large", `Request bodies are limited to ${limit} bytes`);
    const type = c.req.header("content-type") ?? "";
    if (length > 0 && !/^application\/json\b/i.test(type)) {
      throw new DomainError("unsupported_media_type", "Send the request body as application/json");
    }
  }
  await next();
};
