import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectError, newMember, newOrganization, PASSWORD, unique } from "./support/api";
import { countRows } from "./support/db";
import { createReport, reportBody } from "./support/factories";

const withKey = (key: string) => ({ "idempotency-key": key });

describe("Idempotency-Key", () => {
  it("replays the first response to a repeat with the same key and body, creating one report", async () => {
    const admin = await newOrganization();
    const body = reportBody();
    const key = unique("create");
    const first = await api("/api/scheduled-reports", { token: admin.token, body, headers: withKey(key) });
    const second = await api("/api/scheduled-reports", { token: admin.token, body, headers: withKey(key) });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(1);
  });

  it("gives two concurrent requests with one key one effect", async () => {
    const admin = await newOrganization();
    const body = reportBody();
    const key = unique("race");
    const answers = await Promise.all([1, 2, 3, 4].map(() => api("/api/scheduled-reports", { token: admin.token, body, headers: withKey(key) })));
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(1);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // Whoever did not get the result was told the first request is still running, never a second report.
    for (const a of answers) if (a.status !== 201) expectError(a, 409, "idempotency_key_in_use");
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
  });

  it("refuses the same key with a different body, changing nothing", async () => {
    const admin = await newOrganization();
    const key = unique("reuse");
    expect((await api("/api/scheduled-reports", { token: admin.token, body: reportBody(), headers: withKey(key) })).status).toBe(201);
    expectError(await api("/api/scheduled-reports", { token: admin.token, body: reportBody(), headers: withKey(key) }), 422, "idempotency_key_reused");
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(1);
  });

  it("starts one run however often 'run now' is repeated with one key", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const key = unique("run");
    const a = await api(`/api/scheduled-reports/${report.id}/run`, { token: admin.token, method: "POST", headers: withKey(key) });
    const b = await api(`/api/scheduled-reports/${report.id}/run`, { token: admin.token, method: "POST", headers: withKey(key) });
    expect(a.status).toBe(202);
    expect(b).toMatchObject({ status: 202, body: a.body });
    expect(await countRows("report_executions", admin.organizationId)).toBe(1);
    // The same key on another path is another request: refused, not replayed.
    const other = await createReport(admin);
    expectError(
      await api(`/api/scheduled-reports/${other.id}/run`, { token: admin.token, method: "POST", headers: withKey(key) }),
      422,
      "idempotency_key_reused",
    );
  });

  it("keeps keys per organization and replays stored errors too", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    const key = unique("shared");
    const body = reportBody();
    expect((await api("/api/scheduled-reports", { token: a.token, body, headers: withKey(key) })).status).toBe(201);
    expect((await api("/api/scheduled-reports", { token: b.token, body, headers: withKey(key) })).status).toBe(201);
    expect(await countRows("scheduled_reports", b.organizationId)).toBe(1);
    const bad = reportBody({ format: "docx" });
    const badKey = unique("bad");
    expectError(await api("/api/scheduled-reports", { token: a.token, body: bad, headers: withKey(badKey) }), 400);
    const again = await api("/api/scheduled-reports", { token: a.token, body: bad, headers: withKey(badKey) });
    expectError(again, 400);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("forgets a key after 24 hours, and a key whose request crashed after its hold", async () => {
    const admin = await newOrganization();
    const key = unique("old");
    const body = reportBody();
    expect((await api("/api/scheduled-reports", { token: admin.token, body, headers: withKey(key) })).status).toBe(201);
    await env.DB.prepare("update idempotency_keys set expires_at = ? where organization_id = ?")
      .bind(Date.now() - 1, admin.organizationId)
      .run();
    const later = await api("/api/scheduled-reports", { token: admin.token, body: reportBody(), headers: withKey(key) });
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
    // A request that died holding its key: the same request may take it once the hold is over.
    const stuck = unique("stuck");
    const stuckBody = reportBody();
    expect((await api("/api/scheduled-reports", { token: admin.token, body: stuckBody, headers: withKey(stuck) })).status).toBe(201);
    await env.DB.prepare("update idempotency_keys set status = 'in_progress', locked_until = ? where key = ?")
      .bind(Date.now() + 60_000, stuck)
      .run();
    expectError(await api("/api/scheduled-reports", { token: admin.token, body: stuckBody, headers: withKey(stuck) }), 409, "idempotency_key_in_use");
    await env.DB.prepare("update idempotency_keys set locked_until = ? where key = ?")
      .bind(Date.now() - 1, stuck)
      .run();
    expect((await api("/api/scheduled-reports", { token: admin.token, body: stuckBody, headers: withKey(stuck) })).status).toBe(201);
  });

  it("rejects a malformed key", async () => {
    const admin = await newOrganization();
    expectError(await api("/api/scheduled-reports", { token: admin.token, body: reportBody(), headers: withKey("x".repeat(256)) }), 400);
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(0);
  });

  it("keeps keys per caller: a viewer replaying an admin's key gets its own 403, and the admin's key still works", async () => {
    const admin = await newOrganization();
    const viewer = await newMember(admin, "viewer");
    const key = unique("people");
    // Adding a member sends an invitation (202), whatever the address.
    const body = { email: `${unique("new")}@example.com`, name: "New", role: "viewer" };
    const created = await api("/api/users", { token: admin.token, body, headers: withKey(key) });
    expect(created.status).toBe(202);
    const replayed = await api("/api/users", { token: viewer.token, body, headers: withKey(key) });
    expectError(replayed, 403, "forbidden");
    expect(replayed.headers.get("idempotent-replayed")).toBeNull();
    expect(replayed.body).not.toHaveProperty("invitation");
    // Another admin, or the admin's own API key, is another caller: its key is its own, so it gets an
    // answer of its own (a new invitation), not the first admin's.
    const other = await newMember(admin, "admin");
    const own = await api("/api/users", { token: other.token, body, headers: withKey(key) });
    expect(own.status).toBe(202);
    expect(own.headers.get("idempotent-replayed")).toBeNull();
    expect(own.body.invitation.id).not.toBe(created.body.invitation.id);
    // The admin's own repeat is still replayed.
    const again = await api("/api/users", { token: admin.token, body, headers: withKey(key) });
    expect(again).toMatchObject({ status: 202, body: created.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("never stores a 401, 403 or 404, so nobody can poison a key another caller will use", async () => {
    const admin = await newOrganization();
    const viewer = await newMember(admin, "viewer");
    const editor = await newMember(admin, "editor");
    const report = await createReport(admin);
    const key = unique("poison");
    // A viewer tries the key first (403), then a missing report (404): neither answer is kept.
    expectError(await api("/api/scheduled-reports", { token: viewer.token, body: reportBody(), headers: withKey(key) }), 403);
    expectError(await api(`/api/scheduled-reports/${crypto.randomUUID()}/run`, { token: editor.token, method: "POST", headers: withKey(key) }), 404);
    expectError(await api(`/api/scheduled-reports/${report.id}/run`, { token: editor.token, method: "POST", headers: withKey(key) }), 403);
    const { results } = await env.DB.prepare("select status, response_status from idempotency_keys where organization_id = ?").bind(admin.organizationId).all();
    expect(results).toEqual([]);
    // The editor's automation then uses the key for what it may do, and gets its own answer.
    const body = reportBody();
    const made = await api("/api/scheduled-reports", { token: editor.token, body, headers: withKey(key) });
    expect(made.status).toBe(201);
    expect(made.headers.get("idempotent-replayed")).toBeNull();
    expect(await api("/api/scheduled-reports", { token: editor.token, body, headers: withKey(key) })).toMatchObject({ status: 201, body: made.body });
  });

  it("authorizes before a replay: a caller demoted since its first request is refused, not replayed", async () => {
    const admin = await newOrganization();
    const second = await newMember(admin, "admin");
    const key = unique("demoted");
    const body = { email: `${unique("new")}@example.com`, name: "New", role: "editor" };
    expect((await api("/api/users", { token: second.token, body, headers: withKey(key) })).status).toBe(202);
    expect((await api(`/api/users/${second.userId}`, { method: "PATCH", token: admin.token, body: { role: "viewer" } })).status).toBe(200);
    const replayed = await api("/api/users", { token: second.token, body, headers: withKey(key) });
    expectError(replayed, 403, "forbidden");
    expect(replayed.headers.get("idempotent-replayed")).toBeNull();
  });
});
