/*
 * The attack corpus, malformed input family: every operation of the OpenAPI document that takes a
 * JSON body gets bodies of the wrong type (whole and field by field, from the document's schema),
 * a 1 MB string, huge arrays, JSON nested 10,000 levels deep, bytes that are not UTF-8, broken JSON
 * and a chunked body over the limit with no Content-Length. Each must be refused in the one error
 * envelope with the exact status (never a 5xx), called with a credential that may do everything,
 * and nothing may be stored.
 */
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CONTRACT,
  contractOf,
  envelopeProblem,
  type Fixture,
  fingerprint,
  OPERATOR_TOKEN,
  type Operation,
  operations,
  pathOf,
  resolve,
  type Schema,
  seedVictim,
} from "./support/attack";

const enc = new TextEncoder();
const MB = 1024 * 1024;

let f: Fixture;
beforeAll(async () => {
  f = await seedVictim();
});

type Case = { name: string; body: Uint8Array | ReadableStream<Uint8Array>; status: number; code: string };

/** The JSON types a schema accepts; null when it accepts anything. */
function typesOf(schema: Schema): Set<string> | null {
  const s = resolve(schema);
  const members = s.anyOf ?? s.oneOf;
  if (members) {
    const all = new Set<string>();
    for (const m of members) {
      const t = typesOf(m);
      if (!t) return null;
      for (const x of t) all.add(x);
    }
    return all;
  }
  if (!s.type) return null;
  return new Set((Array.isArray(s.type) ? s.type : [s.type]).map((t) => (t === "integer" ? "number" : t)));
}

/** A value of none of the accepted types (undefined when every type is accepted). */
function wrongValueFor(schema: Schema): unknown {
  const types = typesOf(schema);
  if (!types) return undefined;
  const candidates: [string, unknown][] = [
    ["number", 12345],
    ["string", "wrong"],
    ["boolean", true],
    ["array", ["wrong"]],
    ["object", { wrong: true }],
  ];
  return candidates.find(([t]) => !types.has(t))?.[1];
}

/** The body schema's top-level properties (for a union, the first member's). */
function propertiesOf(schema: Schema): Record<string, Schema> {
  const s = resolve(schema);
  const first = s.anyOf?.[0] ?? s.oneOf?.[0];
  return s.properties ?? (first ? propertiesOf(first) : {});
}

const json = (value: unknown) => enc.encode(JSON.stringify(value));
const deepArray = (levels: number) => enc.encode(`${"[".repeat(levels)}${"]".repeat(levels)}`);
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

/** A body sent in chunks, so that the server cannot trust a Content-Length (there is none). */
function chunked(size: number) {
  let sent = 0;
  const chunk = enc.encode(`"${"x".repeat(64 * 1024 - 2)}"`);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

/** The valid body with one byte sequence that is not UTF-8 in the first key. */
function invalidUtf8(valid: unknown) {
  const text = JSON.stringify(valid ?? {});
  const rest = text.startsWith("{") && text !== "{}" ? `,${text.slice(1)}` : "}";
  return new Uint8Array([...enc.encode('{"'), 0xff, 0xfe, ...enc.encode('":1'), ...enc.encode(rest)]);
}

function casesOf(op: Operation): Case[] {
  const contract = contractOf(op)!;
  const valid = contract.body?.(f) ?? {};
  const signed = contract.role === "signature";
  // The provider's webhook checks its signature on the raw body first, and takes up to 5 MiB.
  const invalid = signed ? { status: 401, code: "unauthorized" } : { status: 400, code: "validation_failed" };
  const tooLarge = { status: 413, code: "payload_too_large" };
  const cases: Case[] = [];
  const add = (name: string, body: Case["body"], expected: { status: number; code: string }) => cases.push({ name, body, ...expected });

  for (const whole of [[], "text", 42, null, true]) add(`the body ${JSON.stringify(whole)}`, json(whole), invalid);
  const props = propertiesOf(op.jsonBody!);
  const base = typeof valid === "object" && valid && !Array.isArray(valid) ? (valid as Record<string, unknown>) : {};
  for (const [name, schema] of Object.entries(props)) {
    const wrong = wrongValueFor(schema);
    if (wrong !== undefined) add(`${name}: ${JSON.stringify(wrong)}`, json({ ...base, [name]: wrong }), invalid);
    const types = typesOf(schema);
    if (types?.has("array")) add(`${name}: an array of 100,000 items`, json({ ...base, [name]: new Array(100_000).fill(0) }), invalid);
    if (types?.has("object")) {
      const { [name]: _, ...others } = base;
      const text = `{"${name}":${deepObject(10_000)},${JSON.stringify(others).slice(1)}`.replace(/,}$/, "}");
      add(`${name}: an object nested 10,000 levels`, enc.encode(text), invalid);
    }
  }
  const stringProp = Object.entries(props).find(([, schema]) => typesOf(schema)?.has("string"))?.[0];
  add("a 1 MB string", json(stringProp ? { ...base, [stringProp]: "x".repeat(MB) } : "x".repeat(MB)), signed ? invalid : tooLarge);
  add("a top-level array of 100,000 items", json(new Array(100_000).fill(0)), invalid);
  add("arrays nested 10,000 levels", deepArray(10_000), invalid);
  add("an object nested 10,000 levels", enc.encode(deepObject(10_000)), invalid);
  add("bytes that are not UTF-8", invalidUtf8(valid), { status: 400, code: "invalid_json" });
  add("truncated JSON", enc.encode(JSON.stringify(valid).slice(0, -1) || "{"), { status: 400, code: "invalid_json" });
  add("arrays nested 120,000 levels", deepArray(120_000), invalid);
  add("a chunked body over the limit, without Content-Length", chunked(signed ? 6 * MB : 300 * 1024), tooLarge);
  return cases;
}

let ip = 0;

async function send(op: Operation, c: Case) {
  const contract = contractOf(op)!;
  // A fresh client address each time: sign-up and sign-in are rate limited per address.
  const headers: Record<string, string> = { "content-type": "application/json", "cf-connecting-ip": `198.18.${(ip >> 8) & 255}.${ip++ & 255}` };
  if (contract.role === "operator") headers.authorization = `Bearer ${OPERATOR_TOKEN}`;
  else if (!["public", "signature"].includes(contract.role)) headers.authorization = `Bearer ${f.admin.token}`;
  const res = await SELF.fetch(`http://127.0.0.1:8787${pathOf(op, f)}`, { method: op.method, headers, body: c.body });
  return envelopeProblem(res, c.status, c.code);
}

describe("the attack corpus: malformed bodies on every operation that takes JSON", () => {
  const withBody = operations.filter((op) => op.jsonBody && CONTRACT[op.key]);

  it("covers every operation with a JSON body", () => {
    expect(withBody.length).toBeGreaterThan(15);
    expect(withBody.filter((op) => !contractOf(op)!.body).map((op) => op.key)).toEqual([]);
  });

  it.each(withBody.map((op) => [op.key, op] as const))("%s", async (_, op) => {
    const before = await fingerprint([f.admin.organizationId, f.other.organizationId]);
    const problems: string[] = [];
    for (const c of casesOf(op)) {
      const problem = await send(op, c);
      if (problem) problems.push(`${c.name}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(await fingerprint([f.admin.organizationId, f.other.organizationId])).toEqual(before);
  });
});
