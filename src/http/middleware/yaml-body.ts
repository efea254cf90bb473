import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { DomainError } from "../../errors";
import { YamlSyntaxError, yamlToJsonText } from "../../lib/yaml";

const YAML_TYPE = /^(application|text)\/(x-)?yaml\b/i;

export const isYamlType = (contentType: string) => YAML_TYPE.test(contentType);

/** The media types a route with this middleware takes its body in, for the OpenAPI document. */
export const YAML_MEDIA_TYPES = ["application/yaml", "text/yaml"] as const;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * A YAML body (application/yaml or text/yaml; the size limit and the media type were checked by
 * json-body.ts) becomes the JSON it stands for before the route validates it, so that both formats
 * meet the same schema and give the same errors, with the same document paths. Unreadable YAML is
 * `invalid_json` (the body does not parse), like broken JSON.
 */
export const yamlBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isYamlType(c.req.header("content-type") ?? "")) return next();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new DomainError("invalid_json", "The request body is not valid UTF-8");
  }
  let json: string;
  try {
    json = yamlToJsonText(text);
  } catch (err) {
    if (err instanceof YamlSyntaxError) throw new DomainError("invalid_json", `The request body is not valid YAML: ${err.message}`);
    throw err;
  }
  const headers = new Headers(c.req.raw.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  const body = new TextEncoder().encode(json);
  c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, body });
  // Hono's body cache (see json-body.ts): the validator's json() reads this text.
  const cache = c.req.bodyCache as Record<string, unknown>;
  cache.arrayBuffer = Promise.resolve(body.buffer);
  cache.text = Promise.resolve(json);
  await next();
};
