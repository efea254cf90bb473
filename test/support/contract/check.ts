/*
 * Checks an answer of the API against its OpenAPI document with an independent validator (ajv, JSON
 * Schema 2020-12, as OpenAPI 3.1 specifies), in Node: the status must be documented for the
 * operation, the content type must be one the document names, and a JSON body must match its schema
 * with no property the schema does not describe (objects are closed here, since zod's objects say
 * nothing about extra properties and an undocumented field is exactly what this is meant to catch).
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

type Json = Record<string, any>;
export type Exchange = { method: string; path: string; status: number; contentType: string | null; body: string };

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const DOC_ID = "openapi.json";

/** Closes every object schema that does not say what extra properties may be (see above). */
function closeObjects(node: unknown, inComposition = false): void {
  if (Array.isArray(node)) {
    for (const child of node) closeObjects(child, inComposition);
    return;
  }
  if (!node || typeof node !== "object") return;
  const schema = node as Json;
  const isObject = schema.type === "object" || (Array.isArray(schema.type) && schema.type.includes("object"));
  const open = !("additionalProperties" in schema) && !("unevaluatedProperties" in schema);
  if (schema.allOf && open) schema.unevaluatedProperties = false;
  else if (isObject && schema.properties && open && !inComposition) schema.additionalProperties = false;
  for (const [key, child] of Object.entries(schema)) {
    if (key === "allOf") closeObjects(child, true);
    else if (key !== "example" && key !== "examples" && key !== "default") closeObjects(child, false);
  }
}

export function contractChecker(document: Json) {
  const doc = structuredClone(document);
  // A component that is a member of an allOf somewhere must stay open: the allOf closes it.
  const composed = new Set<string>();
  JSON.stringify(doc, (key, value) => {
    if (key === "allOf" && Array.isArray(value)) for (const part of value) if (part?.$ref) composed.add(part.$ref);
    return value;
  });
  for (const [name, schema] of Object.entries<Json>(doc.components?.schemas ?? {})) {
    closeObjects(schema, composed.has(`#/components/schemas/${name}`));
  }
  for (const item of Object.values<Json>(doc.paths ?? {})) closeObjects(item);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOC_ID, components: doc.components ?? {} });
  const absolute = (schema: unknown) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`));

  const base = (doc.servers?.[0]?.url ?? "").replace(/\/$/, "");
  const operations = Object.entries<Json>(doc.paths ?? {})
    .map(([template, item]) => {
      const names = [...template.matchAll(/\{[^}]+\}/g)].length;
      const pattern = new RegExp(`^${base}${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+")}$`);
      return { template, item, names, pattern };
    })
    // A literal path (/scheduled-reports/export) before a templated one (/scheduled-reports/{id}).
    .sort((a, b) => a.names - b.names);
  const compiled = new Map<string, ValidateFunction>();

  const compileOnce = (key: string, schema: unknown) => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(absolute(schema));
      compiled.set(key, validate);
    }
    return validate;
  };
  const messages = (where: string, validate: ValidateFunction) =>
    (validate.errors ?? []).map(
      (e) => `${where}: ${e.instancePath || "(body)"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`,
    );

  /** A request body checked against the operation's requestBody (what a client generated from the document would send). */
  function checkRequest(request: { method: string; path: string; contentType: string; body: unknown }): string[] {
    const where = `${request.method} ${request.path} (request)`;
    const operation = operations.find((o) => o.pattern.test(request.path));
    const schema = operation?.item[request.method.toLowerCase()]?.requestBody?.content?.[request.contentType]?.schema;
    if (!operation || !schema) return [`${where}: the document has no ${request.contentType} body for it`];
    const validate = compileOnce(`${operation.template} ${request.method} request ${request.contentType}`, schema);
    return validate(request.body) ? [] : messages(where, validate);
  }

  function check(exchange: Exchange): string[] {
    const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
    const operation = operations.find((o) => o.pattern.test(exchange.path));
    if (!operation) return exchange.status === 404 ? [] : [`${where}: no operation in the document has this path`];
    const op = operation.item[exchange.method.toLowerCase()];
    if (!op) return exchange.status === 404 || exchange.status === 405 ? [] : [`${where}: the document has no ${exchange.method} for ${operation.template}`];
    const response = op.responses?.[String(exchange.status)] ?? op.responses?.default;
    if (!response) return [`${where}: status ${exchange.status} is not documented for ${exchange.method} ${operation.template}`];
    const media = exchange.contentType?.split(";")[0]?.trim().toLowerCase() ?? null;
    const content: Json | undefined = response.content;
    if (!content) return exchange.body && media ? [`${where}: the document says no body, the answer has ${media}`] : [];
    if (!media) return exchange.body ? [`${where}: a body without a content type`] : [];
    const documented = Object.keys(content).find((type) => type === media || type === "*/*" || (type.endsWith("/*") && media.startsWith(type.slice(0, -1))));
    if (!documented) return [`${where}: content type ${media} is not documented (${Object.keys(content).join(", ")})`];
    const schema = content[documented]?.schema;
    if (!schema || media !== "application/json") return [];
    const validate = compileOnce(`${operation.template} ${exchange.method} ${exchange.status} ${documented}`, schema);
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    return validate(body) ? [] : messages(where, validate);
  }
  return { check, checkRequest };
}

/** A `report.generated` (or any `webhooks`) body checked against the document's description. */
export function webhookChecker(document: Json) {
  const doc = structuredClone(document);
  for (const schema of Object.values<Json>(doc.components?.schemas ?? {})) closeObjects(schema);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOC_ID, components: doc.components ?? {} });
  return function check(event: string, body: unknown): string[] {
    const schema = doc.webhooks?.[event]?.post?.requestBody?.content?.["application/json"]?.schema;
    if (!schema) return [`webhook ${event}: not in the document`];
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`)));
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `webhook ${event}: ${e.instancePath || "(body)"} ${e.message}`);
  };
}
