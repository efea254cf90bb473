import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectError, newMember, newOrganization, type TestUser } from "./support/api";
import { countRows } from "./support/db";
import { reportBody } from "./support/factories";

async function newKey(admin: TestUser, role: "admin" | "editor" | "viewer", extra: Record<string, unknown> = {}) {
  const res = await api("/api/api-keys", { token: admin.token, body: { name: `${role} key`, role, ...extra } });
  if (res.status !== 201) throw new Error(`create key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { apiKey: { id: string; prefix: string; lastUsedAt: string | null }; secret: string };
}

async function auditTypes(organizationId: string, targetId: string) {
  const { results } = await env.DB.prepare("select type, actor_id from audit_events where organization_id = ? and target_id = ? order by created_at")
    .bind(organizationId, targetId)
    .all<{ type: string; actor_id: string | null }>();
  return results;
}

describe("API keys", () => {
  it("shows the secret once, stores only its hash, and lists keys without secrets", async () => {
    const admin = await newOrganization();
    const { apiKey, secret } = await newKey(admin, "editor");
    expect(secret).toMatch(/^srk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    const row = await env.DB.prepare("select * from api_keys where id = ?").bind(apiKey.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(secret.slice(13));
    const list = await api("/api/api-keys", { token: admin.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: apiKey.id, role: "editor", prefix: apiKey.prefix, lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(secret);
  });

  it("acts with the key's role: a viewer key reads but cannot create", async () => {
    const admin = await newOrganization();
    const { secret } = await newKey(admin, "viewer");
    expect((await api("/api/scheduled-reports", { token: secret })).status).toBe(200);
    const before = await countRows("scheduled_reports", admin.organizationId);
    expectError(await api("/api/scheduled-reports", { token: secret, body: reportBody() }), 403, "forbidden");
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(before);
  });

  it("lets an editor key create reports and manage only those it created", async () => {
    const admin = await newOrganization();
    const { apiKey, secret } = await newKey(admin, "editor");
    const created = await api("/api/scheduled-reports", { token: secret, body: reportBody() });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBeNull();
    expect((await api(`/api/scheduled-reports/${created.body.id}`, { method: "PATCH", token: secret, body: { name: "Renamed by a program" } })).status).toBe(
      200,
    );
    const byAdmin = await api("/api/scheduled-reports", { token: admin.token, body: reportBody() });
    expectError(await api(`/api/scheduled-reports/${byAdmin.body.id}`, { method: "PATCH", token: secret, body: { name: "Nope" } }), 403);
    // The audit log names the key as the actor.
    const events = await auditTypes(admin.organizationId, created.body.id);
    expect(events).toContainEqual({ type: "scheduled_report.created", actor_id: apiKey.id });
    expect(events.every((e) => e.actor_id === apiKey.id)).toBe(true);
  });

  it("cannot manage users, keys or sessions, even as an admin key", async () => {
    const admin = await newOrganization();
    const { secret } = await newKey(admin, "admin");
    expectError(await api("/api/api-keys", { token: secret, body: { name: "child", role: "admin" } }), 403);
    expectError(await api("/api/api-keys", { token: secret }), 403);
    expectError(await api("/api/users", { token: secret }), 403);
    expectError(await api("/api/users", { token: secret, body: { email: "x@example.com", name: "X", role: "admin" } }), 403);
    expectError(await api("/api/me", { token: secret }), 403);
    expectError(await api("/api/auth/logout", { token: secret, method: "POST" }), 403);
    expect(await countRows("api_keys", admin.organizationId)).toBe(1);
  });

  it("is refused from the request after it is revoked, and revocation is audited", async () => {
    const admin = await newOrganization();
    const { apiKey, secret } = await newKey(admin, "viewer");
    expect((await api("/api/scheduled-reports", { token: secret })).status).toBe(200);
    expect((await api(`/api/api-keys/${apiKey.id}`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expectError(await api("/api/scheduled-reports", { token: secret }), 401, "unauthorized");
    const listed = await api("/api/api-keys", { token: admin.token });
    expect(listed.body.items[0].revokedAt).not.toBeNull();
    expect((await auditTypes(admin.organizationId, apiKey.id)).map((e) => e.type)).toEqual(["api_key.created", "api_key.first_used", "api_key.revoked"]);
  });

  it("records the last use and audits only the first", async () => {
    const admin = await newOrganization();
    const { apiKey, secret } = await newKey(admin, "viewer");
    await Promise.all([1, 2, 3].map(() => api("/api/scheduled-reports", { token: secret })));
    const listed = await api("/api/api-keys", { token: admin.token });
    expect(Date.parse(listed.body.items[0].lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await auditTypes(admin.organizationId, apiKey.id)).filter((e) => e.type === "api_key.first_used")).toHaveLength(1);
  });

  it("refuses an expired key, a forged key and a past expiry", async () => {
    const admin = await newOrganization();
    const { apiKey, secret } = await newKey(admin, "viewer", { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await api("/api/scheduled-reports", { token: secret })).status).toBe(200);
    await env.DB.prepare("update api_keys set expires_at = ? where id = ?")
      .bind(Date.now() - 1000, apiKey.id)
      .run();
    expectError(await api("/api/scheduled-reports", { token: secret }), 401);
    expectError(await api("/api/scheduled-reports", { token: `${secret.slice(0, -4)}AAAA` }), 401);
    expectError(await api("/api/scheduled-reports", { token: "srk_short" }), 401);
    expectError(await api("/api/api-keys", { token: admin.token, body: { name: "old", role: "viewer", expiresAt: "2020-01-01T00:00:00Z" } }), 400);
  });

  it("keeps keys to their organization, and only admins manage them", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    const { apiKey, secret } = await newKey(a, "admin");
    const bReport = await api("/api/scheduled-reports", { token: b.token, body: reportBody() });
    expectError(await api(`/api/scheduled-reports/${bReport.body.id}`, { token: secret }), 404);
    expectError(await api(`/api/api-keys/${apiKey.id}`, { method: "DELETE", token: b.token }), 404);
    const editor = await newMember(a, "editor");
    expectError(await api("/api/api-keys", { token: editor.token, body: { name: "mine", role: "viewer" } }), 403);
    expectError(await api("/api/api-keys", { token: editor.token }), 403);
  });
});

describe("API keys and the person who created them", () => {
  const works = async (secret: string) => (await api("/api/scheduled-reports", { token: secret })).status;

  it("lists who created each key", async () => {
    const admin = await newOrganization();
    const second = await newMember(admin, "admin");
    const mine = await newKey(admin, "viewer");
    const theirs = await newKey(second, "editor");
    expect(mine.apiKey).toMatchObject({ createdBy: admin.userId });
    const listed = (await api("/api/api-keys", { token: admin.token })).body.items as { id: string; createdBy: string | null }[];
    expect(Object.fromEntries(listed.map((k) => [k.id, k.createdBy]))).toEqual({ [mine.apiKey.id]: admin.userId, [theirs.apiKey.id]: second.userId });
  });

  it("are revoked when their creator is removed, by default, and audited as such", async () => {
    const admin = await newOrganization();
    const leaving = await newMember(admin, "admin");
    const adminKey = await newKey(leaving, "admin");
    const viewerKey = await newKey(leaving, "viewer");
    const othersKey = await newKey(admin, "admin");
    expect(await works(adminKey.secret)).toBe(200);
    expect((await api(`/api/users/${leaving.userId}`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expectError(await api("/api/settings/webhook-secret", { token: adminKey.secret }), 401, "unauthorized");
    expectError(await api("/api/scheduled-reports", { token: viewerKey.secret }), 401, "unauthorized");
    expect(await works(othersKey.secret)).toBe(200);
    const listed = (await api("/api/api-keys", { token: admin.token })).body.items as { id: string; revokedAt: string | null; createdBy: string | null }[];
    const byId = Object.fromEntries(listed.map((k) => [k.id, k]));
    expect(byId[adminKey.apiKey.id]!.revokedAt).not.toBeNull();
    expect(byId[viewerKey.apiKey.id]!.revokedAt).not.toBeNull();
    expect(byId[othersKey.apiKey.id]!.revokedAt).toBeNull();
    const { results } = await env.DB.prepare("select target_id, data from audit_events where organization_id = ? and type = 'api_key.revoked'")
      .bind(admin.organizationId)
      .all<{ target_id: string; data: string }>();
    expect(results.map((r) => r.target_id).sort()).toEqual([adminKey.apiKey.id, viewerKey.apiKey.id].sort());
    for (const r of results) expect(JSON.parse(r.data)).toMatchObject({ reason: "creator_removed", creator: leaving.userId });
  });

  it("are kept when the admin removing their creator asks so; a bad choice removes nobody", async () => {
    const admin = await newOrganization();
    const leaving = await newMember(admin, "admin");
    const key = await newKey(leaving, "admin");
    expectError(await api(`/api/users/${leaving.userId}?apiKeys=maybe`, { method: "DELETE", token: admin.token }), 400);
    expect((await api(`/api/users/${leaving.userId}`, { method: "PATCH", token: admin.token, body: { name: "Still here" } })).status).toBe(200);
    expect((await api(`/api/users/${leaving.userId}?apiKeys=keep`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expect(await works(key.secret)).toBe(200);
    const listed = (await api("/api/api-keys", { token: admin.token })).body.items as { id: string; revokedAt: string | null; createdBy: string | null }[];
    expect(listed.find((k) => k.id === key.apiKey.id)).toMatchObject({ revokedAt: null, createdBy: null });
    const removed = await env.DB.prepare("select data from audit_events where organization_id = ? and type = 'user.deleted'")
      .bind(admin.organizationId)
      .first<{ data: string }>();
    expect(JSON.parse(removed!.data)).toMatchObject({ apiKeys: "keep", apiKeysRevoked: 0 });
  });

  it("are revoked when their creator is demoted below the key's role, and only those", async () => {
    const admin = await newOrganization();
    const demoted = await newMember(admin, "admin");
    const adminKey = await newKey(demoted, "admin");
    const editorKey = await newKey(demoted, "editor");
    const viewerKey = await newKey(demoted, "viewer");
    expect((await api(`/api/users/${demoted.userId}`, { method: "PATCH", token: admin.token, body: { role: "editor" } })).status).toBe(200);
    expectError(await api("/api/settings/webhook-secret", { token: adminKey.secret }), 401, "unauthorized");
    expect(await works(editorKey.secret)).toBe(200);
    expect(await works(viewerKey.secret)).toBe(200);
    expect((await api(`/api/users/${demoted.userId}`, { method: "PATCH", token: admin.token, body: { role: "viewer" } })).status).toBe(200);
    expectError(await api("/api/scheduled-reports", { token: editorKey.secret }), 401, "unauthorized");
    expect(await works(viewerKey.secret)).toBe(200);
    // Promoting back does not bring a revoked key back.
    expect((await api(`/api/users/${demoted.userId}`, { method: "PATCH", token: admin.token, body: { role: "admin" } })).status).toBe(200);
    expectError(await api("/api/scheduled-reports", { token: adminKey.secret }), 401, "unauthorized");
    const { results } = await env.DB.prepare(
      "select target_id, data from audit_events where organization_id = ? and type = 'api_key.revoked' order by created_at",
    )
      .bind(admin.organizationId)
      .all<{ target_id: string; data: string }>();
    expect(results.map((r) => [r.target_id, JSON.parse(r.data).reason])).toEqual([
      [adminKey.apiKey.id, "creator_demoted"],
      [editorKey.apiKey.id, "creator_demoted"],
    ]);
  });
});
