import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newApp } from "../src/app";
import { seedDemoData } from "../src/demo/seed";
import { api, expectError, newMember, newOrganization, PASSWORD, unique } from "./support/api";
import { createReport } from "./support/factories";
import { BULK_INVOICES, BULK_TENANT } from "./support/postgres-setup";

const OPERATOR = "test-operator-token-that-is-long-enough-0123456789";
const operator = (path: string, opts: { method?: string; body?: unknown; token?: string | null } = {}) =>
  api(`/api/operator${path}`, {
    method: opts.method,
    body: opts.body,
    headers: opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? OPERATOR}` },
  });
const tenantKeyInDb = async (id: string) =>
  (await env.DB.prepare("select data_tenant_key as k from organizations where id = ?").bind(id).first<{ k: string | null }>())!.k;
const orgCount = async () => (await env.DB.prepare("select count(*) as n from organizations").first<{ n: number }>())!.n;

describe("the operator API", () => {
  it("refuses a missing or wrong token, and a user's session, and changes nothing", async () => {
    const user = await newOrganization();
    const before = await orgCount();
    const body = { name: "Nope", admin: { email: `${unique("x")}@example.com`, name: "X" } };
    expectError(await operator("/organizations", { body, token: null }), 401, "unauthorized");
    expectError(await operator("/organizations", { body, token: `${OPERATOR}x` }), 401, "unauthorized");
    expectError(await operator("/organizations", { body, token: user.token }), 401, "unauthorized");
    expectError(await operator("/organizations", { token: "short" }), 401, "unauthorized");
    expect(await orgCount()).toBe(before);
  });

  it("provisions an organization whose admin accepts the invitation once, signs in and reports on the mapped tenant", async () => {
    const email = `${unique("founder")}@example.com`;
    const tenant = unique("tenant");
    const created = await operator("/organizations", { body: { name: "Acme Corp", dataTenantKey: tenant, admin: { email, name: "Fay Founder" } } });
    expect(created.status).toBe(201);
    expect(created.body.organization).toMatchObject({ name: "Acme Corp", dataTenantKey: tenant });
    const token = new URL(created.body.inviteUrl).searchParams.get("token")!;
    expect(created.body.inviteUrl).toMatch(/^http:\/\/127\.0\.0\.1:8787\/invite\?token=/);

    // No password works before the invitation is accepted.
    expect((await api("/api/auth/login", { body: { email, password: PASSWORD } })).status).toBe(401);
    const accepted = await api("/api/auth/invitations/accept", { body: { token, password: PASSWORD } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email, role: "admin", organizationId: created.body.organization.id });
    expectError(await api("/api/auth/invitations/accept", { body: { token, password: "another-password-1" } }), 410, "link_expired");
    const login = await api("/api/auth/login", { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);

    // The audit log of the new organization records who did what.
    const audit = await api("/api/audit-events?limit=50", { token: login.body.token });
    expect(audit.body.items.map((e: any) => e.type)).toEqual(expect.arrayContaining(["organization.created", "invitation.accepted"]));
    expect(audit.body.items.find((e: any) => e.type === "organization.created").data).toMatchObject({ by: "operator", dataTenantKey: tenant });

    // Its reports read the tenant's rows: sample data loaded there shows up in a preview.
    expect((await api("/api/settings/sample-data", { method: "POST", token: login.body.token })).body.loaded).toBe(true);
    const rows = await env.DB.prepare("select count(*) as n from demo_orders where organization_id = ?").bind(tenant).first<{ n: number }>();
    expect(rows!.n).toBeGreaterThan(1000);
  });

  it("lists organizations with their usage and maps one onto another tenant, refusing a key that is taken", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    await createReport(a);
    const list = await operator("/organizations");
    expect(list.status).toBe(200);
    const mine = list.body.items.find((o: any) => o.id === a.organizationId);
    expect(mine).toMatchObject({ dataTenantKey: a.organizationId, usage: { users: 1, reports: 1, runsLast30Days: 0, storageBytes: 0 } });

    const key = unique("warehouse");
    const moved = await operator(`/organizations/${a.organizationId}`, { method: "PATCH", body: { dataTenantKey: key, force: true } });
    expect(moved.body.organization).toMatchObject({ id: a.organizationId, dataTenantKey: key });
    expectError(await operator(`/organizations/${b.organizationId}`, { method: "PATCH", body: { dataTenantKey: key } }), 409, "conflict");
    expectError(await operator(`/organizations/${b.organizationId}`, { method: "PATCH", body: { dataTenantKey: a.organizationId } }), 409, "conflict");
    expectError(await operator("/organizations/no-such-org", { method: "PATCH", body: { name: "X" } }), 404, "not_found");
    const back = await operator(`/organizations/${a.organizationId}`, { method: "PATCH", body: { dataTenantKey: null, force: true } });
    expect(back.body.organization.dataTenantKey).toBe(a.organizationId);
  });

  it("answers a remap with the rows the new key matches per data source, and a dry run changes nothing", async () => {
    const a = await newOrganization();
    const key = unique("warehouse");
    const counts = await seedDemoData(env.DB, key, { now: new Date("2026-11-23T08:00:00Z"), scale: 0.02 });
    const path = `/organizations/${a.organizationId}`;
    const dry = await operator(path, { method: "PATCH", body: { dataTenantKey: key, dryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ applied: false, organization: { dataTenantKey: a.organizationId } });
    const d1 = dry.body.matches.sources.find((s: any) => s.source === "DB");
    expect(d1).toMatchObject({ kind: "d1", status: "ok", rows: counts.customers + counts.products + counts.orders + counts.tickets });
    expect(Object.fromEntries(d1.tables.map((t: any) => [t.table, t.rows]))).toEqual({
      demo_orders: counts.orders,
      demo_customers: counts.customers,
      demo_products: counts.products,
      demo_tickets: counts.tickets,
    });
    expect(dry.body.matches.sources.find((s: any) => s.source === "BILLING")).toMatchObject({ kind: "postgres", status: "ok", rows: 0 });
    expect(await tenantKeyInDb(a.organizationId)).toBeNull();

    const applied = await operator(path, { method: "PATCH", body: { dataTenantKey: key } });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ applied: true, organization: { dataTenantKey: key }, matches: { totalRows: d1.rows } });
    expect(await tenantKeyInDb(a.organizationId)).toBe(key);
    // A rename alone counts nothing.
    expect((await operator(path, { method: "PATCH", body: { name: "Renamed" } })).body).toMatchObject({ matches: null, applied: true });
  });

  it("counts a key's rows in the Postgres source too, whose tables carry the tenant column", async () => {
    const a = await newOrganization();
    const dry = await operator(`/organizations/${a.organizationId}`, { method: "PATCH", body: { dataTenantKey: BULK_TENANT, dryRun: true } });
    expect(dry.status).toBe(200);
    const billing = dry.body.matches.sources.find((s: any) => s.source === "BILLING");
    expect(billing.tables.find((t: any) => t.table === "billing_invoices")).toMatchObject({ column: "tenant", rows: BULK_INVOICES });
    expect(dry.body.matches.sources.find((s: any) => s.source === "DB").rows).toBe(0);
    expect(await tenantKeyInDb(a.organizationId)).toBeNull();
  });

  it("refuses a key that matches no rows unless forced, and changes nothing", async () => {
    const a = await newOrganization();
    const path = `/organizations/${a.organizationId}`;
    const typo = unique("warehouse-typo");
    const refused = await operator(path, { method: "PATCH", body: { name: "Not applied", dataTenantKey: typo } });
    expectError(refused, 422, "tenant_key_unmatched");
    expect(refused.body.error.message).toContain(typo);
    expect(refused.body.error.message).toContain("force");
    expect(await tenantKeyInDb(a.organizationId)).toBeNull();
    expect((await env.DB.prepare("select name from organizations where id = ?").bind(a.organizationId).first<{ name: string }>())!.name).not.toBe(
      "Not applied",
    );
    // A dry run shows the empty match instead of refusing it.
    const dry = await operator(path, { method: "PATCH", body: { dataTenantKey: typo, dryRun: true } });
    expect(dry.body).toMatchObject({ applied: false, matches: { totalRows: 0 } });
    const forced = await operator(path, { method: "PATCH", body: { dataTenantKey: typo, force: true } });
    expect(forced.status).toBe(200);
    expect(await tenantKeyInDb(a.organizationId)).toBe(typo);
    expectError(await operator(path, { method: "PATCH", body: { dataTenantKey: typo, force: "yes" } }), 400, "validation_failed");
  });

  it("shows admins the organization's id and data tenant key in the settings, and other roles neither", async () => {
    const admin = await newOrganization();
    const editor = await newMember(admin, "editor");
    const viewer = await newMember(admin, "viewer");
    const own = await api("/api/settings", { token: admin.token });
    expect(own.body.organization).toEqual({ id: admin.organizationId, dataTenantKey: admin.organizationId });
    const key = unique("warehouse");
    await operator(`/organizations/${admin.organizationId}`, { method: "PATCH", body: { dataTenantKey: key, force: true } });
    expect((await api("/api/settings", { token: admin.token })).body.organization).toEqual({ id: admin.organizationId, dataTenantKey: key });
    for (const member of [editor, viewer]) {
      const res = await api("/api/settings", { token: member.token });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty("organization");
    }
  });

  it("validates its input and writes nothing on a bad request", async () => {
    const before = await orgCount();
    expectError(await operator("/organizations", { body: { name: "", admin: { email: "not-an-email", name: "" } } }), 400, "validation_failed");
    expectError(
      await operator("/organizations", { body: { name: "X", dataTenantKey: "has spaces", admin: { email: "a@example.com", name: "A" } } }),
      400,
      "validation_failed",
    );
    expect(await orgCount()).toBe(before);
  });
});

describe("sign-up and sample data", () => {
  it("refuses sign-up when SIGNUP is closed", async () => {
    const before = await orgCount();
    const res = await newApp().request(
      "http://127.0.0.1:8787/api/auth/signup",
      {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.77" },
        body: JSON.stringify({ email: `${unique("closed")}@example.com`, password: PASSWORD, name: "C", organizationName: "Closed" }),
      },
      { ...env, SIGNUP: "closed" },
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.message).toMatch(/Sign-up is closed/);
    expect(await orgCount()).toBe(before);
  });

  it("loads the sample business into a new organization once, for admins only, so its first report has rows", async () => {
    const admin = await newOrganization();
    const preview = () =>
      api("/api/report-types/order_details/preview", { token: admin.token, body: { parameters: { dateRange: "last_30_days" }, timezone: "UTC", limit: 5 } });
    expect((await preview()).body).toMatchObject({
      rows: [],
      emptyHint: expect.stringMatching(/no data in the app's database yet: an admin can load the sample business in Settings/),
    });
    const viewer = await newMember(admin, "viewer");
    expectError(await api("/api/settings/sample-data", { method: "POST", token: viewer.token }), 403, "forbidden");

    const first = await api("/api/settings/sample-data", { method: "POST", token: admin.token });
    expect(first.status).toBe(200);
    expect(first.body.loaded).toBe(true);
    expect(first.body.counts.orders).toBeGreaterThan(1000);
    expect((await preview()).body).toMatchObject({ emptyHint: null });
    expect((await preview()).body.rows).toHaveLength(5);
    // Loaded, a range with no orders says so instead of offering the sample data again.
    const none = await api("/api/report-types/order_details/preview", {
      token: admin.token,
      body: { parameters: { dateRange: "custom", from: "2001-01-01", to: "2001-01-31" }, timezone: "UTC", limit: 5 },
    });
    expect(none.body).toMatchObject({ rows: [], emptyHint: expect.stringMatching(/^No rows match these parameters\. This organization has data/) });
    const second = await api("/api/settings/sample-data", { method: "POST", token: admin.token });
    expect(second.body).toEqual({ loaded: false, counts: first.body.counts });
  });

  it("fills the demo Postgres for the organization's tenant key too, so its Postgres report types have rows", async () => {
    const admin = await newOrganization();
    const preview = () =>
      api("/api/report-types/invoices/preview", { token: admin.token, body: { parameters: { dateRange: "last_30_days" }, timezone: "UTC", limit: 5 } });
    expect((await preview()).body).toMatchObject({
      rows: [],
      emptyHint: expect.stringMatching(/demo BILLING database \(Postgres\).*Loading the sample business in Settings fills it/),
    });
    expect((await api("/api/settings/sample-data", { method: "POST", token: admin.token })).body.loaded).toBe(true);
    const rows = (await preview()).body.rows;
    expect(rows).toHaveLength(5);
  });
});
