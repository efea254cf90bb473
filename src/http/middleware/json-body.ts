import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { DomainError } from "../../errors";
import { isYamlType } from "./yaml-body";

const MAX_BODY_BYTES = 256 * 1024;
/** Providers post bounce events in batches that can be larger. */
const MAX_PROVIDER_EVENT_BYTES = 5 * 1024 * 1024;

/**
 * Bodies that may also be sent as YAML (a schedules-as-code document kept in a repository). Their
 * route reads the YAML (middleware/yaml-body.ts), after authentication: parsing costs more than JSON.
 */
const YAML_BODY_PATHS = new Set(["/api/scheduled-reports/apply"]);

const tooLarge = (limit: number) => new DomainError("payload_too_large", `Request bodies are limited to ${limit} bytes`);

/** Reads a body, but never more than `limit` bytes of it: a chunked body has no Content-Length to trust. */
async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * The body's text, if it is JSON: UTF-8 (RFC 8259; decoding leniently would turn other bytes into
 * U+FFFD and store text nobody sent) that parses. Parsed here, once, so that every malformed body
 * gets the same answer, including one nested too deeply for the parser's stack.
 */
function jsonText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new DomainError("invalid_json", "The request body is not valid UTF-8");
  }
  try {
    JSON.parse(text);
  } catch {
    throw new DomainError("invalid_json", "The request body is not valid JSON");
  }
  return text;
}

/**
 * A body that is not JSON (or not UTF-8) is refused up front, so no validator ever silently skips it
 * or answers in words of its own, and a body larger than the limit is refused on the bytes actually
 * read (the declared length is only a shortcut). The body read here is what validators and handlers
 * then see (Hono's body cache).
 */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  if (method === "POST" || method === "PATCH" || method === "PUT") {
    const length = Number(c.req.header("content-length") ?? 0);
    const limit = c.req.path.startsWith("/api/email/bounces") ? MAX_PROVIDER_EVENT_BYTES : MAX_BODY_BYTES;
    if (length > limit) throw tooLarge(limit);
    const type = c.req.header("content-type") ?? "";
    const body = c.req.raw.body ? await readAtMost(c.req.raw.body, limit) : new Uint8Array(0);
    const yaml = body.byteLength > 0 && YAML_BODY_PATHS.has(c.req.path) && isYamlType(type);
    if (body.byteLength > 0 && !yaml && !/^application\/json\b/i.test(type)) {
      const accepted = YAML_BODY_PATHS.has(c.req.path) ? "application/json or application/yaml" : "application/json";
      throw new DomainError("unsupported_media_type", `Send the request body as ${accepted}`);
    }
    // Hono keeps each body it read as a promise in bodyCache (its type says otherwise); json() and
    // text() then read this text instead of the already consumed stream.
    const cache = c.req.bodyCache as Record<string, unknown>;
    cache.arrayBuffer = Promise.resolve(body.buffer);
    if (body.byteLength > 0 && !yaml) cache.text = Promise.resolve(jsonText(body));
  }
  await next();
};
