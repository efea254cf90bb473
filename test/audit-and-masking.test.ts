import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { maskRecipientValue } from "../src/domain/recipients";
import { openFileLink } from "../src/services/executions/download";
import { issueFileLink } from "../src/storage/links";
import { api, expectError, newMember, newOrganization, PASSWORD, type TestUser, unique } from "./support/api";
import { fake, hookUrl } from "./support/delivery-factories";
import { createReport } from "./support/factories";
import { insertExecution } from "./support/pipeline";

async function auditOf(user: TestUser, type: string) {
  const { results } = await env.DB.prepare("select actor_id, target_id, data from audit_events where organization_id = ? and type = ? order by created_at")
    .bind(user.organizationId, type)
    .all<{ actor_id: string | null; target_id: string | null; data: string }>();
  return results.map((r) => ({ ...r, data: JSON.parse(r.data) }));
}

const SLACK_URL = "https://hooks.slack.com/services/T0000SECRET/B0000SECRET/abcdefghijklmnopqrstuvwx";

describe("the audit log records who got in, who left, links and test sends", () => {
  it("records sign-in success and failure (with the address) and sign-out", async () => {
    const admin = await newOrganization();
    const wrong = await api("/api/auth/login", { body: { email: admin.email, password: "not-the-password" }, headers: { "cf-connecting-ip": "203.0.113.9" } });
    expect(wrong.status).toBe(401);
    const ok = await api("/api/auth/login", { body: { email: admin.email, password: PASSWORD }, headers: { "cf-connecting-ip": "203.0.113.10" } });
    expect(ok.status).toBe(200);
    expect((await api("/api/auth/logout", { token: ok.body.token, method: "POST" })).status).toBe(204);
    expect(await auditOf(admin, "auth.login_failed")).toEqual([{ actor_id: admin.userId, target_id: admin.userId, data: { ip: "203.0.113.9" } }]);
    expect((await auditOf(admin, "auth.login")).at(-1)).toEqual({ actor_id: admin.userId, target_id: admin.userId, data: { ip: "203.0.113.10" } });
    expect(await auditOf(admin, "auth.logout")).toHaveLength(1);
  });

  it("records link issuance and a role change with the old and new role", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const run = await insertExecution(admin, report.id, { status: "completed", fileKey: "k", fileName: "f.csv", fileSize: 1 });
    expect((await api(`/api/executions/${run.id}/download`, { token: admin.token })).status).toBe(200);
    expect(await auditOf(admin, "report.link_issued")).toEqual([expect.objectContaining({ actor_id: admin.userId, target_id: run.id })]);
    const editor = await newMember(admin, "editor");
    await api(`/api/users/${editor.userId}`, { method: "PATCH", token: admin.token, body: { role: "viewer" } });
    const [updated] = await auditOf(admin, "user.updated");
    expect(updated!.data.role).toEqual({ from: "editor", to: "viewer" });
  });
});

describe("test sends", () => {
  it("are audited, delivered or not, by whom and to where (credential-like URLs masked)", async () => {
    const admin = await newOrganization();
    expect((await api("/api/recipients/test", { token: admin.token, body: { type: "email", value: "ops@example.com" } })).status).toBe(200);
    const refusing = `${hookUrl("slack")}/T000/B000/secret-part`;
    await fake.script(new URL(refusing).pathname, [{ status: 404 }]);
    expectError(await api("/api/recipients/test", { token: admin.token, body: { type: "slack", value: refusing } }), 422, "test_delivery_failed");
    const audited = await auditOf(admin, "recipient.tested");
    expect(audited).toEqual([
      { actor_id: admin.userId, target_id: null, data: { type: "email", value: "ops@example.com", delivered: true } },
      { actor_id: admin.userId, target_id: null, data: { type: "slack", value: expect.stringContaining("••••"), delivered: false, error: expect.any(String) } },
    ]);
    expect(JSON.stringify(audited)).not.toContain("secret-part");
  });
});

describe("the audit log records what changed", () => {
  it("records a settings update with each changed setting's old and new value, and only those", async () => {
    const admin = await newOrganization();
    const before = (await api("/api/settings", { token: admin.token })).body;
    const patch = {
      retentionDays: 30,
      emailSenderName: before.emailSenderName,
      pdfBranding: { primaryColor: "#123456", logoUrl: "https://cdn.example.com/logo.png" },
    };
    expect((await api("/api/settings", { method: "PATCH", token: admin.token, body: patch })).status).toBe(200);
    const [updated] = await auditOf(admin, "settings.updated");
    expect(updated).toEqual({
      actor_id: admin.userId,
      target_id: admin.organizationId,
      data: {
        fields: ["retentionDays", "emailSenderName", "pdfBranding"],
        changes: {
          retentionDays: { from: before.retentionDays, to: 30 },
          pdfBranding: { from: before.pdfBranding, to: { primaryColor: "#123456", logoUrl: "https://cdn.example.com/logo.png" } },
        },
      },
    });
  });

  it("refuses a PDF logo URL the server would refuse to fetch, changing nothing", async () => {
    const admin = await newOrganization();
    for (const logoUrl of ["https://10.0.0.1/logo.png", "https://169.254.169.254/logo.png", "https://metadata.google.internal/logo.png"]) {
      const res = await api("/api/settings", { method: "PATCH", token: admin.token, body: { pdfBranding: { logoUrl } } });
      expectError(res, 400, "validation_failed");
      expect(res.body.error.details[0].path).toBe("pdfBranding.logoUrl");
    }
    expect((await api("/api/settings", { token: admin.token })).body.pdfBranding).toEqual({});
    expect(await auditOf(admin, "settings.updated")).toEqual([]);
  });

  it("records the operator's provisioning and changes with the old and new values, never the invitation", async () => {
    const OPERATOR = "test-operator-token-that-is-long-enough-0123456789";
    const operator = (path: string, method: string, body: unknown) =>
      api(`/api/operator${path}`, { method, body, headers: { authorization: `Bearer ${OPERATOR}` } });
    const email = `${unique("founder")}@example.com`;
    const created = await operator("/organizations", "POST", { name: "Acme Corp", admin: { email, name: "Fay Founder" } });
    expect(created.status).toBe(201);
    const org = { organizationId: created.body.organization.id as string } as TestUser;
    const key = unique("warehouse");
    expect((await operator(`/organizations/${org.organizationId}`, "PATCH", { name: "Acme Inc", dataTenantKey: key, force: true })).status).toBe(200);
    expect(await auditOf(org, "organization.created")).toEqual([
      { actor_id: null, target_id: org.organizationId, data: { by: "operator", name: "Acme Corp", dataTenantKey: null, admin: email } },
    ]);
    expect(await auditOf(org, "organization.updated")).toEqual([
      {
        actor_id: null,
        target_id: org.organizationId,
        data: {
          by: "operator",
          name: { from: "Acme Corp", to: "Acme Inc" },
          dataTenantKey: { from: org.organizationId, to: key },
          matchedRows: 0,
          forced: true,
        },
      },
    ]);
    const token = new URL(created.body.inviteUrl).searchParams.get("token")!;
    const { results } = await env.DB.prepare("select data from audit_events where organization_id = ?").bind(org.organizationId).all<{ data: string }>();
    expect(results.map((r) => r.data).join("\n")).not.toContain(token);
  });
});

describe("credential-like recipient URLs", () => {
  it("are masked for viewers and in the audit log, shown in full to editors", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, {
      recipients: [
        { type: "slack", value: SLACK_URL },
        { type: "email", value: "ops@example.com" },
      ],
    });
    expect(report.recipients[0].value).toBe(SLACK_URL);
    const viewer = await newMember(admin, "viewer");
    const seen = await api(`/api/scheduled-reports/${report.id}`, { token: viewer.token });
    expect(seen.body.recipients).toEqual([
      { type: "slack", value: "https://hooks.slack.com/services/••••" },
      { type: "email", value: "ops@example.com" },
    ]);
    const listed = await api("/api/scheduled-reports", { token: viewer.token });
    expect(JSON.stringify(listed.body)).not.toContain("SECRET");
    const exported = await api("/api/scheduled-reports/export", { token: viewer.token });
    expect(JSON.stringify(exported.body)).not.toContain("SECRET");
    const audit = await api("/api/audit-events?limit=100", { token: admin.token });
    expect(JSON.stringify(audit.body)).not.toContain("SECRET");
    expect(maskRecipientValue({ type: "slack", value: "#reports" })).toBe("#reports");
    expect(maskRecipientValue({ type: "teams", value: "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers?sig=s3cr3t" })).toBe(
      "https://prod-01.westeurope.logic.azure.com/workflows/••••",
    );
  });
});

describe("FILE_LINK_SECRET", () => {
  it("keys download links on its own: a link made under it opens only under it", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const key = `${admin.organizationId}/${report.id}/x/file.csv`;
    await env.REPORTS.put(key, "a\r\n");
    const run = await insertExecution(admin, report.id, { status: "completed", fileKey: key, fileName: "file.csv", fileSize: 3 });
    const own = { ...env, FILE_LINK_SECRET: "a-separate-link-secret-of-at-least-32-chars" } as Env;
    const link = await issueFileLink(own, { executionId: run.id, organizationId: admin.organizationId, issuedTo: `user:${admin.userId}` }, new Date());
    const token = link.url.split("/api/files/")[1]!;
    expect((await openFileLink(own, token, new Date())).fileName).toBe("file.csv");
    // Under the JWT_SECRET-derived key (FILE_LINK_SECRET unset, or rotated) the link names nothing.
    await expect(openFileLink(env, token, new Date())).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("the live audit log", () => {
  it("is for admins only, like its archive: viewers, editors and their keys are refused what the log would tell them", async () => {
    const admin = await newOrganization();
    // What the log holds that settings hide from other roles: a member's sign-in IP, a reset request.
    const editor = await newMember(admin, "editor");
    const viewer = await newMember(admin, "viewer");
    expect((await api("/api/auth/login", { body: { email: viewer.email, password: PASSWORD }, headers: { "cf-connecting-ip": "203.0.113.77" } })).status).toBe(
      200,
    );
    const editorKey = await api("/api/api-keys", { token: admin.token, body: { name: unique("ed"), role: "editor" } });
    const adminKey = await api("/api/api-keys", { token: admin.token, body: { name: unique("ad"), role: "admin" } });
    for (const token of [viewer.token, editor.token, editorKey.body.secret]) {
      expectError(await api("/api/audit-events?limit=100", { token }), 403, "forbidden");
      expectError(await api("/api/audit-events?type=auth.login", { token }), 403, "forbidden");
      expectError(await api("/api/audit/archives", { token }), 403, "forbidden");
    }
    for (const token of [admin.token, adminKey.body.secret]) {
      const seen = await api("/api/audit-events?type=auth.login&limit=100", { token });
      expect(seen.status).toBe(200);
      expect(seen.body.items.map((e: any) => e.data.ip)).toContain("203.0.113.77");
    }
  });
});
