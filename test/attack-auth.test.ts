/*
 * The attack corpus, access family: every operation of the OpenAPI document, called without a
 * credential, with forged ones (tampered, expired, `alg: none`, a revoked API key, the wrong kind of
 * token), from another organization against this organization's objects (404), and with each role
 * weaker than the operation needs (403). Each case asserts the exact status in the one error
 * envelope; each operation asserts that nothing was stored or changed by any of its cases.
 */
import { env, SELF } from "cloudflare:test";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { api, newOrganization } from "./support/api";
import {
  CONTRACT,
  type Contract,
  contractOf,
  envelopeProblem,
  type Fixture,
  fingerprint,
  OPERATOR_TOKEN,
  type Operation,
  operations,
  pathOf,
  seedVictim,
} from "./support/attack";

type Case = { name: string; authorization?: string; headers?: Record<string, string>; status: 401 | 403 | 404; code: string };

const b64url = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const claimsOf = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));

let f: Fixture;
let forged: { tampered: string; expired: string; algNone: string };

beforeAll(async () => {
  f = await seedVictim();
  const claims = claimsOf(f.admin.token);
  const [header, , signature] = f.admin.token.split(".");
  forged = {
    // The admin's token with the victim swapped for the attacker's organization, the signature kept.
    tampered: `${header}.${b64url({ ...claims, org: f.other.organizationId })}.${signature}`,
    // Signed with the real secret, for the real session, but past its expiry.
    expired: await new SignJWT({ org: claims.org })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.sub)
      .setJti(claims.jti)
      .setIssuer(env.JWT_ISSUER)
      .setAudience(env.JWT_AUDIENCE)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(env.JWT_SECRET)),
    algNone: `${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims)}.`,
  };
});

const bearer = (token: string) => `Bearer ${token}`;
const unauthorized = (name: string, authorization?: string, headers?: Record<string, string>): Case => ({
  name,
  authorization,
  headers,
  status: 401,
  code: "unauthorized",
});

/** The cases an operation's contract implies (none for public operations and the download link, which have their own families). */
function casesOf(contract: Contract): Case[] {
  if (contract.role === "public" || contract.role === "link") return [];
  if (contract.role === "operator") {
    return [
      unauthorized("no credential"),
      unauthorized("a wrong operator token", bearer(`${OPERATOR_TOKEN}x`)),
      unauthorized("an admin's session token", bearer(f.admin.token)),
      unauthorized("an admin API key", bearer(f.apiKeySecret)),
      unauthorized("an alg: none token", bearer(forged.algNone)),
    ];
  }
  if (contract.role === "signature") {
    return [
      unauthorized("no signature"),
      unauthorized("a forged signature", undefined, {
        "svix-id": "msg_attack",
        "svix-timestamp": String(Math.floor(Date.now() / 1000)),
        "svix-signature": "v1,AAAA",
      }),
      unauthorized("an admin's session token instead", bearer(f.admin.token)),
    ];
  }
  const cases: Case[] = [
    unauthorized("no credential"),
    unauthorized("a tampered token", bearer(forged.tampered)),
    unauthorized("an expired token", bearer(forged.expired)),
    unauthorized("an alg: none token", bearer(forged.algNone)),
    unauthorized("a revoked API key", bearer(f.revokedKeySecret)),
    unauthorized("the operator token", bearer(OPERATOR_TOKEN)),
  ];
  if (contract.id && contract.id !== "reportType") {
    cases.push({ name: "another organization's admin", authorization: bearer(f.other.token), status: 404, code: "not_found" });
  }
  const weaker = { any: [], editor: ["viewer"], owner: ["viewer", "editor"], admin: ["viewer", "editor"] }[contract.role] as ("viewer" | "editor")[];
  for (const role of weaker) cases.push({ name: `a ${role}`, authorization: bearer(f[role].token), status: 403, code: "forbidden" });
  if (contract.person) cases.push({ name: "an admin API key (not a person)", authorization: bearer(f.apiKeySecret), status: 403, code: "forbidden" });
  return cases;
}

async function attack(op: Operation, c: Case) {
  const contract = contractOf(op)!;
  const body = contract.body?.(f);
  const headers: Record<string, string> = { "cf-connecting-ip": "203.0.113.7", ...c.headers };
  if (c.authorization) headers.authorization = c.authorization;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await SELF.fetch(`http://127.0.0.1:8787${pathOf(op, f)}`, {
    method: op.method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return envelopeProblem(res, c.status, c.code);
}

describe("the attack corpus: credentials, organizations and roles on every operation", () => {
  it("has an access contract for every operation of the OpenAPI document, and none for operations it lacks", () => {
    expect(operations.filter((op) => !contractOf(op)).map((op) => op.key)).toEqual([]);
    expect(Object.keys(CONTRACT).filter((key) => !operations.some((op) => op.key === key))).toEqual([]);
    // What the document declares agrees with the table.
    for (const op of operations) {
      const role = contractOf(op)!.role;
      const expected = role === "operator" ? "OperatorToken" : ["public", "link", "signature"].includes(role) ? "none" : "Bearer";
      expect(op.security, op.key).toBe(expected);
    }
  });

  it("sees a change in what is stored (so that an unchanged fingerprint means nothing was written)", async () => {
    const admin = await newOrganization();
    const before = await fingerprint([admin.organizationId]);
    expect((await api("/api/settings", { method: "PATCH", token: admin.token, body: { emailSenderName: "Changed" } })).status).toBe(200);
    const after = await fingerprint([admin.organizationId]);
    expect(after).not.toEqual(before);
    const audits = (fp: typeof before) => (fp.counts as Record<string, number>).audit_events ?? 0;
    expect(audits(after)).toBe(audits(before) + 1);
  });

  const attacked = operations.filter((op) => CONTRACT[op.key] && !["public", "link"].includes(CONTRACT[op.key]!.role));
  it.each(attacked.map((op) => [op.key, op] as const))("%s", async (_, op) => {
    const cases = casesOf(contractOf(op)!);
    const before = await fingerprint([f.admin.organizationId, f.other.organizationId]);
    const problems: string[] = [];
    for (const c of cases) {
      const problem = await attack(op, c);
      if (problem) problems.push(`${c.name}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(await fingerprint([f.admin.organizationId, f.other.organizationId])).toEqual(before);
  });
});
