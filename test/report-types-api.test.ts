import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { seedDemoData } from "../src/demo/seed";
import { api, expectError, newMember, newOrganization } from "./support/api";
import { snapshotCounts } from "./support/db";

describe("GET /api/report-types", () => {
  it("lists every type with its formats and its parameters as JSON Schema", async () => {
    const admin = await newOrganization();
    const res = await api("/api/report-types", { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const ids = res.body.items.map((t: any) => t.id);
    expect(ids).toEqual(expect.arrayContaining(["sales_summary", "order_details", "top_customers", "ticket_backlog"]));
    for (const t of res.body.items) {
      expect(t).toMatchObject({ name: expect.any(String), description: expect.any(String), enabled: true });
      expect(t.formats.length).toBeGreaterThan(0);
      expect(t.parameters.type).toBe("object");
    }
    const sales = res.body.items.find((t: any) => t.id === "sales_summary");
    expect(sales.parameters.properties.dateRange.enum).toContain("last_7_days");
  });

  it("hides types an admin turned off from other roles, and shows them to admins as disabled", async () => {
    const admin = await newOrganization();
    const viewer = await newMember(admin, "viewer");
    await api("/api/settings", { method: "PATCH", token: admin.token, body: { disabledReportTypes: ["top_customers"] } });
    const forAdmin = (await api("/api/report-types", { token: admin.token })).body.items;
    expect(forAdmin.find((t: any) => t.id === "top_customers").enabled).toBe(false);
    const forViewer = (await api("/api/report-types", { token: viewer.token })).body.items.map((t: any) => t.id);
    expect(forViewer).not.toContain("top_customers");
    // Another organization is unaffected.
    const other = await newOrganization();
    expect((await api("/api/report-types", { token: other.token })).body.items.map((t: any) => t.id)).toContain("top_customers");
  });

  it("needs a session", async () => {
    expectError(await api("/api/report-types"), 401);
  });
});

describe("POST /api/report-types/:id/preview", () => {
  it("returns the first rows of the organization's own data, with columns and the parameters in words", async () => {
    const admin = await newOrganization();
    await seedDemoData(env.DB, admin.organizationId, { now: new Date(), scale: 0.02 });
    const empty = await newOrganization();
    const res = await api("/api/report-types/order_details/preview", { token: admin.token, body: { parameters: { dateRange: "last_30_days" }, limit: 5 } });
    expect(res.status).toBe(200);
    expect(res.body.rows).toHaveLength(5);
    expect(res.body.hasMore).toBe(true);
    expect(res.body.columns.map((c: any) => c.key)).toEqual(Object.keys(res.body.rows[0]));
    expect(typeof res.body.description).toBe("string");
    const theirs = await api("/api/report-types/order_details/preview", { token: empty.token, body: { parameters: { dateRange: "last_30_days" } } });
    expect(theirs.body).toMatchObject({ rows: [], hasMore: false });
  });

  it.each([
    ["invalid parameters", "sales_summary", { parameters: { dateRange: "custom" } }, 400],
    ["an unknown type", "nope", { parameters: {} }, 400],
    ["a bad timezone", "sales_summary", { parameters: {}, timezone: "Nowhere/City" }, 400],
    ["a limit over 100", "sales_summary", { parameters: {}, limit: 101 }, 400],
  ])("refuses %s", async (_, id, body, status) => {
    const admin = await newOrganization();
    expectError(await api(`/api/report-types/${id}/preview`, { token: admin.token, body }), status);
  });

  it("refuses a type the organization turned off", async () => {
    const admin = await newOrganization();
    await api("/api/settings", { method: "PATCH", token: admin.token, body: { disabledReportTypes: ["sales_summary"] } });
    expectError(await api("/api/report-types/sales_summary/preview", { token: admin.token, body: { parameters: {} } }), 403);
  });
});

describe("settings", () => {
  it("lets an admin read and change settings, and records it", async () => {
    const admin = await newOrganization();
    const initial = await api("/api/settings", { token: admin.token });
    const organization = { id: admin.organizationId, dataTenantKey: admin.organizationId };
    expect(initial.body).toEqual({ retentionDays: 90, emailSenderName: null, allowedEmailDomains: [], pdfBranding: {}, disabledReportTypes: [], organization });
    const patch = {
      retentionDays: 30,
      emailSenderName: "Acme Reports",
      allowedEmailDomains: ["Acme.test"],
      pdfBranding: { primaryColor: "#123456", paperSize: "Letter" },
    };
    const res = await api("/api/settings", { method: "PATCH", token: admin.token, body: patch });
    expect(res.body).toEqual({ ...patch, allowedEmailDomains: ["acme.test"], disabledReportTypes: [], organization });
    expect((await api("/api/settings", { token: admin.token })).body).toEqual(res.body);
    const audit = (await api("/api/audit-events?type=settings.updated", { token: admin.token })).body.items;
    expect(audit).toHaveLength(1);
  });

  it.each([
    [{ retentionDays: 0 }],
    [{ allowedEmailDomains: ["not a domain"] }],
    [{ pdfBranding: { primaryColor: "red" } }],
    [{ pdfBranding: { logoUrl: "http://insecure.example/logo.png" } }],
    [{ disabledReportTypes: ["nope"] }],
    [{ unknown: true }],
  ])("refuses %j and changes nothing", async (body) => {
    const admin = await newOrganization();
    const before = (await api("/api/settings", { token: admin.token })).body;
    expectError(await api("/api/settings", { method: "PATCH", token: admin.token, body }), 400, "validation_failed");
    expect((await api("/api/settings", { token: admin.token })).body).toEqual(before);
  });

  it.each(["editor", "viewer"] as const)("refuses changes by an %s", async (role) => {
    const admin = await newOrganization();
    const member = await newMember(admin, role);
    const before = await snapshotCounts(admin.organizationId);
    expect((await api("/api/settings", { token: member.token })).status).toBe(200);
    expectError(await api("/api/settings", { method: "PATCH", token: member.token, body: { retentionDays: 1 } }), 403);
    expect((await api("/api/settings", { token: admin.token })).body.retentionDays).toBe(90);
    expect(await snapshotCounts(admin.organizationId)).toEqual(before);
  });
});
