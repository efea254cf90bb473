/*
 * The attack corpus, download link family: a signed link is the only credential of
 * GET /api/files/:token. Forged and tampered links name nothing (404), an expired one is 410
 * link_expired, and one whose grant is gone (the API key it was issued to revoked or expired, its person out of
 * the organization, its report deleted, its file expired) is 410 file_gone. None is served, and
 * none is recorded as a download.
 */
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { toBase64Url } from "../src/lib/base64";
import { signFileLink } from "../src/storage/links";
import wranglerToml from "../wrangler.toml?raw";
import { api, newMember } from "./support/api";
import { envelopeProblem, type Fixture, fingerprint, seedVictim } from "./support/attack";
import { createReport } from "./support/factories";
import { insertExecution } from "./support/pipeline";

let f: Fixture;
beforeAll(async () => {
  f = await seedVictim();
});

const tokenOf = (url: string) => url.split("/api/files/")[1]!;
const enc = new TextEncoder();
const fetchFile = (token: string) => SELF.fetch(`http://127.0.0.1:8787/api/files/${token}`);
const orgs = () => [f.admin.organizationId, f.other.organizationId];

/** A completed run of a report with its file in R2. */
async function runWithFile(reportId: string, extra: Record<string, unknown> = {}) {
  const fileKey = `${f.admin.organizationId}/${reportId}/${crypto.randomUUID()}/file.csv`;
  await env.REPORTS.put(fileKey, "a,b\r\n1,2\r\n");
  return insertExecution(f.admin, reportId, { status: "completed", fileKey, fileName: "file.csv", fileSize: 10, completedAt: new Date(), ...extra });
}

/** A link signed the way links were before they had a key of their own: HMAC keyed by `file-links\0` and the root secret. */
async function signedTheOldWay(rootSecret: string, claims: unknown[]) {
  const payload = toBase64Url(enc.encode(JSON.stringify(claims)));
  const key = await crypto.subtle.importKey("raw", enc.encode(`file-links\u0000${rootSecret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return `${payload}.${toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(payload))))}`;
}

async function issued(executionId: string, token = f.admin.token) {
  const res = await api(`/api/executions/${executionId}/download`, { token });
  expect(res.status).toBe(200);
  return tokenOf(res.body.url);
}

describe("the attack corpus: download links", () => {
  it("serves a valid link, and records the download (the control case)", async () => {
    const token = await issued(f.ids.execution);
    const res = await fetchFile(token);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("a,b\r\n1,2\r\n");
    const audit = await api("/api/audit-events?type=report.downloaded", { token: f.admin.token });
    expect(audit.body.items.map((e: any) => e.targetId)).toContain(f.ids.execution);
  });

  it("answers 404 to forged and tampered links and 410 to expired ones, serving and recording nothing", async () => {
    const valid = await issued(f.ids.execution);
    const [payload, signature] = valid.split(".") as [string, string];
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))));
    const repack = (value: unknown) => toBase64Url(enc.encode(JSON.stringify(value)));
    const now = Math.floor(Date.now() / 1000);
    const link = { executionId: f.ids.execution, organizationId: f.admin.organizationId, issuedTo: `user:${f.admin.userId}` };
    const cases: [string, string, number, string][] = [
      ["a made-up token", "not-a-link", 404, "not_found"],
      ["three parts", `${payload}.${signature}.extra`, 404, "not_found"],
      ["no signature", `${payload}.`, 404, "not_found"],
      ["a signature of zeros", `${payload}.${toBase64Url(new Uint8Array(32))}`, 404, "not_found"],
      ["the signature of another link", `${payload}.${(await issued(f.ids.execution, f.viewer.token)).split(".")[1]}`, 404, "not_found"],
      ["another execution in the payload", `${repack([crypto.randomUUID(), ...claims.slice(1)])}.${signature}`, 404, "not_found"],
      ["another organization in the payload", `${repack([claims[0], f.other.organizationId, ...claims.slice(2)])}.${signature}`, 404, "not_found"],
      ["a later expiry in the payload", `${repack([...claims.slice(0, 3), claims[3] + 86_400 * 365])}.${signature}`, 404, "not_found"],
      ["a payload that is not JSON", `${toBase64Url(enc.encode("[1,2"))}.${signature}`, 404, "not_found"],
      ["signed with another secret", await signFileLink("another-secret-that-is-long-enough-0123456789", { ...link, expiresAt: now + 600 }), 404, "not_found"],
      ["signed with a secret one character longer", await signFileLink(`${env.JWT_SECRET}x`, { ...link, expiresAt: now + 600 }), 404, "not_found"],
      ["a session token instead of a link", f.admin.token, 404, "not_found"],
      ["signed the old way, under the root secret", await signedTheOldWay(env.JWT_SECRET, [...claims.slice(0, 3), now + 600]), 404, "not_found"],
      ["signed the old way, under an unset secret", await signedTheOldWay("undefined", [...claims.slice(0, 3), now + 600]), 404, "not_found"],
      ["expired a minute ago", await signFileLink(env.JWT_SECRET, { ...link, expiresAt: now - 60 }), 410, "link_expired"],
      ["expiring this second", await signFileLink(env.JWT_SECRET, { ...link, expiresAt: now }), 410, "link_expired"],
    ];
    const before = await fingerprint(orgs());
    const problems: string[] = [];
    for (const [name, token, status, code] of cases) {
      const problem = await envelopeProblem(await fetchFile(token), status, code);
      if (problem) problems.push(`${name}: ${problem}`);
    }
    const tooLong = await envelopeProblem(await fetchFile("a".repeat(3000)), 400, "validation_failed");
    if (tooLong) problems.push(`a 3,000-character token: ${tooLong}`);
    expect(problems).toEqual([]);
    expect(await fingerprint(orgs())).toEqual(before);
  });

  it("answers 410 file_gone once the grant behind a link is gone: revoked or expired key, departed person, deleted report, expired file", async () => {
    // Issued to an API key, which is then revoked.
    const key = await api("/api/api-keys", { token: f.admin.token, body: { name: "links", role: "viewer" } });
    const viaKey = await issued(f.ids.execution, key.body.secret);
    expect((await api(`/api/api-keys/${key.body.apiKey.id}`, { method: "DELETE", token: f.admin.token })).status).toBe(204);
    // Issued to an API key whose expiry then passes (#23: only revocation used to be checked).
    const expiringKey = await api("/api/api-keys", { token: f.admin.token, body: { name: "links-expiring", role: "viewer" } });
    const viaExpiredKey = await issued(f.ids.execution, expiringKey.body.secret);
    await env.DB.prepare("update api_keys set expires_at = ?2 where id = ?1")
      .bind(expiringKey.body.apiKey.id, Date.now() - 1000)
      .run();
    // Issued to a person who then leaves the organization.
    const leaver = await newMember(f.admin, "viewer");
    const viaLeaver = await issued(f.ids.execution, leaver.token);
    expect((await api(`/api/users/${leaver.userId}`, { method: "DELETE", token: f.admin.token })).status).toBe(204);
    // The run of a report that is then deleted.
    const doomed = await createReport(f.admin, { recipients: [] });
    const viaDeleted = await issued((await runWithFile(doomed.id)).id);
    expect((await api(`/api/scheduled-reports/${doomed.id}`, { method: "DELETE", token: f.admin.token })).status).toBe(204);
    // A run whose file retention removed.
    const expiring = await runWithFile(f.ids.report);
    const viaExpired = await issued(expiring.id);
    await env.DB.prepare("update report_executions set file_expired_at = ?2 where id = ?1").bind(expiring.id, Date.now()).run();

    const before = await fingerprint(orgs());
    const problems: string[] = [];
    for (const [name, token] of [
      ["the API key was revoked", viaKey],
      ["the API key expired", viaExpiredKey],
      ["the person left", viaLeaver],
      ["the report was deleted", viaDeleted],
      ["the file expired", viaExpired],
    ] as const) {
      const problem = await envelopeProblem(await fetchFile(token), 410, "file_gone");
      if (problem) problems.push(`${name}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(await fingerprint(orgs())).toEqual(before);
  });
});

describe("download tokens out of request URLs (#23)", () => {
  const post = (body: unknown) =>
    SELF.fetch("http://127.0.0.1:8787/api/files", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("serves a link whose token is posted in the body like the GET form, and refuses forged, expired and malformed ones alike", async () => {
    const token = await issued(f.ids.execution);
    const res = await post({ token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="file.csv"');
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await res.text()).toBe("a,b\r\n1,2\r\n");
    const now = Math.floor(Date.now() / 1000);
    const link = { executionId: f.ids.execution, organizationId: f.admin.organizationId, issuedTo: `user:${f.admin.userId}` };
    const before = await fingerprint(orgs());
    const problems: string[] = [];
    for (const [name, body, status, code] of [
      ["a made-up token", { token: "not-a-link" }, 404, "not_found"],
      ["a tampered signature", { token: `${token.split(".")[0]}.${toBase64Url(new Uint8Array(32))}` }, 404, "not_found"],
      ["expired", { token: await signFileLink(env.JWT_SECRET, { ...link, expiresAt: now - 60 }) }, 410, "link_expired"],
      ["no token", {}, 400, "validation_failed"],
      ["an extra field", { token, other: 1 }, 400, "validation_failed"],
    ] as const) {
      const problem = await envelopeProblem(await post(body), status, code);
      if (problem) problems.push(`${name}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(await fingerprint(orgs())).toEqual(before);
  });

  it("keeps the platform's invocation logs, which record request URLs, off in wrangler.toml", () => {
    // The platform's per-request log carries the URL (the GET form's token); our own log lines redact it.
    expect(wranglerToml).toMatch(/^\[observability\]\s*\nenabled = true$/m);
    expect(wranglerToml).toMatch(/^\[observability\.logs\]\s*\ninvocation_logs = false$/m);
  });
});
