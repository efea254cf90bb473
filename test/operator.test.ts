import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newApp } from "../src/app";
import { api, expectError, newMember, newOrganization, PASSWORD, unique } from "./support/api";
import { createReport } from "./support/factories";

const OPERATOR = "test-operator-token-that-is-long-enough-0123456789";
const operator = (path: string, opts: { method?: string; body?: unknown; token?: string | null } = {}) =>
  api(`/api/operator${path}`, {
    method: opts.method,
    body: opts.body,
    headers: opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? OPERATOR}` },
  });
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
    const moved = await operator(`/organizations/${a.organizationId}`, { method: "PATCH", body: { dataTenantKey: key } });
    expect(moved.body.organization).toMatchObject({ id: a.organizationId, dataTenantKey: key });
    expectError(await operator(`/organizations/${b.organizationId}`, { method: "PATCH", body: { dataTenantKey: key } }), 409, "conflict");
    expectError(await operator(`/organizations/${b.organizationId}`, { method: "PATCH", body: { dataTenantKey: a.organizationId } }), 409, "conflict");
    expectError(await operator("/organizations/no-such-org", { method: "PATCH", body: { name: "X" } }), 404, "not_found");
    const back = await operator(`/organizations/${a.organizationId}`, { method: "PATCH", body: { dataTenantKey: null } });
    expect(back.body.organization.dataTenantKey).toBe(a.organizationId);
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
