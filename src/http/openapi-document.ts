/*
 * The served OpenAPI document is the contract the dashboard, API clients and webhook receivers rely
 * on, and `npm test` checks every response the test suite receives against it. Routes describe
 * their own answers; this adds what they cannot see from where they are declared:
 * - the answers middleware gives to any request (413, 415, 400 for a body that is not JSON, 401 and
 *   429 on every authenticated operation, 500 anywhere),
 * - the two operations outside the routers (health, this document),
 * - and it flattens schema extensions: `Base.extend({…})` of a named schema comes out as
 *   `allOf: [Base, {…, additionalProperties: false}]`, which nothing satisfies (the second member
 *   refuses Base's own properties).
 */

type Json = Record<string, unknown>;
type Doc = { paths?: Record<string, Record<string, Json>>; components?: { schemas?: Record<string, Json> } } & Json;

const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
const errorAnswer = (description: string) => ({ description, content: errorContent });

/** What the middleware in front of every route may answer (src/http/middleware/). */
const BODY_ANSWERS = {
  400: errorAnswer("Invalid input (the body is not JSON or fails validation); nothing was changed"),
  413: errorAnswer("The request body is larger than the limit (payload_too_large)"),
  415: errorAnswer("The request body is not of a type the operation takes: application/json, or YAML where listed (unsupported_media_type)"),
};
const AUTHENTICATED_ANSWERS = {
  401: errorAnswer("No valid session or API key"),
  429: errorAnswer("Too many requests for this caller or organization; Retry-After says when to try again (rate_limited)"),
};
const ANY_ANSWER = { 500: errorAnswer("Something went wrong on our side (internal_error)") };
/** A change sent with the session cookie from another site is refused before any route (middleware/auth.ts). */
const CHANGE_ANSWERS = { 403: errorAnswer("A cross-site request with the session cookie, or a role that may not do this (forbidden)") };

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** The document as served: the generated one, completed as described above. */
export function completeDocument<T extends object>(generated: T): T {
  const doc = structuredClone(generated) as Doc;
  const schemas = doc.components?.schemas ?? {};
  for (const [name, schema] of Object.entries(schemas)) schemas[name] = flattenExtension(schema, schemas);
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as (Json & { responses?: Record<string, unknown>; security?: unknown[] }) | undefined;
      if (!op) continue;
      op.responses = {
        ...ANY_ANSWER,
        ...(op.security?.length ? AUTHENTICATED_ANSWERS : {}),
        ...(method === "get" ? {} : CHANGE_ANSWERS),
        ...(method === "get" || method === "delete" ? {} : BODY_ANSWERS),
        ...op.responses,
      };
      walk(op, (node) => flattenExtension(node, schemas));
    }
  }
  doc.paths = { ...doc.paths, ...OUTSIDE_ROUTERS };
  return doc as T;
}

const OUTSIDE_ROUTERS = {
  "/health": {
    get: {
      tags: ["Service"],
      summary: "Liveness: the Worker answers",
      responses: {
        200: {
          description: "Up",
          content: { "application/json": { schema: { type: "object", properties: { ok: { type: "boolean", const: true } }, required: ["ok"] } } },
        },
        ...ANY_ANSWER,
      },
    },
  },
  "/openapi.json": {
    get: {
      tags: ["Service"],
      summary: "This document",
      responses: { 200: { description: "The OpenAPI 3.1 document", content: { "application/json": { schema: { type: "object" } } } }, ...ANY_ANSWER },
    },
  },
};

/** `allOf: [{$ref: Base}, {type: object, properties, required, additionalProperties?}]` → one object schema. */
function flattenExtension(schema: Json, schemas: Record<string, Json>): Json {
  const parts = schema.allOf as Json[] | undefined;
  if (parts?.length !== 2) return schema;
  const [base, extension] = parts as [Json, Json];
  const ref = typeof base.$ref === "string" ? base.$ref.replace("#/components/schemas/", "") : null;
  const target = ref ? flattenExtension(schemas[ref] ?? {}, schemas) : base;
  if (target.type !== "object" || extension.type !== "object") return schema;
  const { allOf: _, ...rest } = schema;
  const required = [...new Set([...((target.required as string[]) ?? []), ...((extension.required as string[]) ?? [])])];
  const merged: Json = {
    ...target,
    ...rest,
    properties: { ...(target.properties as Json), ...(extension.properties as Json) },
    ...(required.length ? { required } : {}),
  };
  if ("additionalProperties" in extension) merged.additionalProperties = extension.additionalProperties;
  return merged;
}

/** Applies `fix` to every schema object below `node`, replacing it in place. */
function walk(node: unknown, fix: (schema: Json) => Json) {
  if (Array.isArray(node)) {
    node.forEach((child, i) => {
      if (child && typeof child === "object") {
        node[i] = fix(child as Json);
        walk(node[i], fix);
      }
    });
  } else if (node && typeof node === "object") {
    for (const [key, child] of Object.entries(node)) {
      if (child && typeof child === "object") {
        (node as Json)[key] = Array.isArray(child) ? child : fix(child as Json);
        walk((node as Json)[key], fix);
      }
    }
  }
}
