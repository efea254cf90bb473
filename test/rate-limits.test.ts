import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectError, newOrganization, PASSWORD, unique } from "./support/api";
import { countRows } from "./support/db";
import { createReport } from "./support/factories";
import { consume, insertExecution } from "./support/pipeline";
import { startOfFreshWindow } from "./support/rate-window";

/** Two tests count per address: each draws from its own range, so they never share a counter. */
const signInAddress = () => `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
const signUpAddress = () => `100.64.7.${Math.floor(Math.random() * 250) + 1}`;

// Each test may first wait for a fresh limiter window (up to 40 s), then does its work.
describe("rate limits", { timeout: 120_000 }, () => {
  it("stops sign-in attempts from one address after 10 a minute, with Retry-After", async () => {
    await startOfFreshWindow();
    const address = signInAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await api("/api/auth/login", {
        body: { email: `${unique("x")}@example.com`, password: "wrong-password" },
        headers: { "cf-connecting-ip": address },
      });
      statuses.push(res.status);
      if (res.status === 429) {
        expectError(res, 429, "rate_limited");
        expect(res.headers.get("retry-after")).toBe("60");
      }
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
  });

  it("stops guessing one account's password from one address, without locking its owner out from another", async () => {
    const user = await newOrganization();
    await startOfFreshWindow();
    // Wrong passwords from many addresses: each address is allowed its own attempts.
    const spread: number[] = [];
    for (let i = 0; i < 11; i++) {
      spread.push(
        (await api("/api/auth/login", { body: { email: user.email, password: "wrong-password" }, headers: { "cf-connecting-ip": `203.0.113.${i + 1}` } }))
          .status,
      );
    }
    expect(spread).toEqual(Array(11).fill(401));
    // Ten from one address: the eleventh attempt from there is refused, even with the right password.
    const attacker = `100.64.9.${Math.floor(Math.random() * 250) + 1}`;
    for (let i = 0; i < 10; i++)
      await api("/api/auth/login", { body: { email: user.email, password: "wrong-password" }, headers: { "cf-connecting-ip": attacker } });
    expectError(
      await api("/api/auth/login", { body: { email: user.email, password: PASSWORD }, headers: { "cf-connecting-ip": attacker } }),
      429,
      "rate_limited",
    );
    // The owner, from an address with no failures, signs in.
    expect((await api("/api/auth/login", { body: { email: user.email, password: PASSWORD }, headers: { "cf-connecting-ip": "100.64.10.1" } })).status).toBe(
      200,
    );
  });

  it("limits sign-ups per address", async () => {
    await startOfFreshWindow();
    const address = signUpAddress();
    let last = 0;
    for (let i = 0; i < 11; i++) {
      last = (
        await api("/api/auth/signup", { body: { email: "bad", password: "x", name: "", organizationName: "" }, headers: { "cf-connecting-ip": address } })
      ).status;
    }
    expect(last).toBe(429);
  });

  it("limits password reset requests per email address from any address, and per client address", async () => {
    await startOfFreshWindow();
    const email = `${unique("reset")}@example.com`;
    const spread: number[] = [];
    for (let i = 0; i < 11; i++) {
      spread.push((await api("/api/auth/password-reset", { body: { email }, headers: { "cf-connecting-ip": `100.64.11.${i + 1}` } })).status);
    }
    expect(spread).toEqual([...Array(10).fill(202), 429]);
    const address = `100.64.12.${Math.floor(Math.random() * 250) + 1}`;
    const fromOne: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await api("/api/auth/password-reset", { body: { email: `${unique("reset")}@example.com` }, headers: { "cf-connecting-ip": address } });
      fromOne.push(res.status);
      if (res.status === 429) expect(res.body.error.message).toContain("password reset requests");
    }
    expect(fromOne).toEqual([...Array(10).fill(202), 429]);
  });

  it("limits password change attempts per user, like sign-in", async () => {
    const user = await newOrganization();
    await startOfFreshWindow();
    for (let i = 0; i < 10; i++) {
      expectError(
        await api("/api/auth/password", { token: user.token, body: { currentPassword: "wrong-password", newPassword: "a-brand-new-passphrase" } }),
        400,
      );
    }
    // From yet another address, with the right password: the user's own counter is spent.
    const refused = await api("/api/auth/password", { token: user.token, body: { currentPassword: PASSWORD, newPassword: "a-brand-new-passphrase" } });
    expectError(refused, 429, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
  });

  it("limits run-now per organization, leaving other organizations alone", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { reportType: "ticket_backlog", parameters: {}, format: "csv" });
    await startOfFreshWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await api(`/api/scheduled-reports/${report.id}/run`, { method: "POST", token: admin.token })).status);
    expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
    const refused = await api(`/api/scheduled-reports/${report.id}/run`, { method: "POST", token: admin.token });
    expectError(refused, 429, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");
    const other = await newOrganization();
    const theirs = await createReport(other, { reportType: "ticket_backlog", parameters: {}, format: "csv" });
    expect((await api(`/api/scheduled-reports/${theirs.id}/run`, { method: "POST", token: other.token })).status).toBe(202);
  });
});

describe("the API budget of an organization", { timeout: 120_000 }, () => {
  it("is shared by all its users and keys: a new key brings no new budget, and other organizations are not held back", async () => {
    const admin = await newOrganization();
    const other = await newOrganization();
    await startOfFreshWindow(40_000);
    // The organization's 1,200 requests of this minute, spent by its other callers.
    for (let i = 0; i < 1200; i++) expect((await env.ORG_API_LIMITER.limit({ key: `org:${admin.organizationId}` })).success).toBe(true);
    const fresh = await api("/api/api-keys", { token: admin.token, body: { name: unique("fresh"), role: "viewer" } });
    // The admin's own per-user budget is untouched, but the organization's is spent: refused, nothing written.
    expectError(fresh, 429, "rate_limited");
    expect(fresh.headers.get("retry-after")).toBe("60");
    expect(await countRows("api_keys", admin.organizationId)).toBe(0);
    expectError(await api("/api/scheduled-reports", { token: admin.token }), 429, "rate_limited");
    expect((await api("/api/scheduled-reports", { token: other.token })).status).toBe(200);
  });
});

describe("the per-organization send rate", { timeout: 120_000 }, () => {
  it("puts off deliveries over 300 a minute for one organization, without failing them", async () => {
    const org = crypto.randomUUID();
    await startOfFreshWindow(40_000);
    const jobs = Array.from({ length: 301 }, () => ({
      kind: "deliver",
      deliveryId: crypto.randomUUID(),
      executionId: crypto.randomUUID(),
      organizationId: org,
    }));
    const sent: { body: unknown; options?: QueueSendOptions }[] = [];
    const queue = env.DELIVERY_QUEUE;
    (env as { DELIVERY_QUEUE: unknown }).DELIVERY_QUEUE = {
      ...queue,
      send: async (body: unknown, options?: QueueSendOptions) => void sent.push({ body, options }),
    };
    try {
      const result = await consume("report-delivery", jobs);
      expect(result.explicitAcks).toHaveLength(301);
    } finally {
      (env as { DELIVERY_QUEUE: unknown }).DELIVERY_QUEUE = queue;
    }
    // Exactly one was over the limit: sent again as a fresh message a minute later.
    expect(sent).toHaveLength(1);
    expect(sent[0]!.options).toEqual({ delaySeconds: 60 });
    expect(jobs.map((j) => j.deliveryId)).toContain((sent[0]!.body as { deliveryId: string }).deliveryId);
  });
});

describe("downloads through signed links", { timeout: 120_000 }, () => {
  /** A completed run of a new report with its file, and a link to it issued to the admin. */
  async function linkToNewFile(admin: Awaited<ReturnType<typeof newOrganization>>) {
    const report = await createReport(admin, { recipients: [] });
    const fileKey = `${admin.organizationId}/${report.id}/${crypto.randomUUID()}/file.csv`;
    await env.REPORTS.put(fileKey, "a,b\r\n1,2\r\n");
    const run = await insertExecution(admin, report.id, { status: "completed", fileKey, fileName: "file.csv", fileSize: 10, completedAt: new Date() });
    const issued = await api(`/api/executions/${run.id}/download`, { token: admin.token });
    expect(issued.status).toBe(200);
    return { executionId: run.id, path: new URL(issued.body.url).pathname };
  }
  const fetchFrom = (path: string, ip: string) => SELF.fetch(`http://127.0.0.1:8787${path}`, { headers: { "cf-connecting-ip": ip } });

  it("limits each link and each address to 30 a minute, with Retry-After, and audits a link once a minute (#23)", async () => {
    const admin = await newOrganization();
    const [a, b, c] = [await linkToNewFile(admin), await linkToNewFile(admin), await linkToNewFile(admin)];
    const net = Math.floor(Math.random() * 200) + 1;
    await startOfFreshWindow(40_000);

    // One link from 31 addresses: the 31st fetch is refused.
    const perLink: number[] = [];
    for (let i = 1; i <= 31; i++) perLink.push((await fetchFrom(a.path, `198.18.${net}.${i}`)).status);
    expect(perLink).toEqual([...Array(30).fill(200), 429]);
    const refused = await fetchFrom(a.path, `198.19.${net}.1`);
    expectError({ status: refused.status, body: await refused.json(), headers: refused.headers } as never, 429, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("60");

    // One address, 30 fetches of one link, then a fresh link from the same address is refused; from another it is served.
    const address = `198.19.${net}.200`;
    const perAddress: number[] = [];
    for (let i = 0; i < 30; i++) perAddress.push((await fetchFrom(b.path, address)).status);
    expect(perAddress).toEqual(Array(30).fill(200));
    expect((await fetchFrom(c.path, address)).status).toBe(429);
    const elsewhere = await fetchFrom(c.path, `198.19.${net}.201`);
    expect(elsewhere.status).toBe(200);
    expect(await elsewhere.text()).toBe("a,b\r\n1,2\r\n");

    // Thirty downloads of a link in the minute are one audit row, not thirty.
    const audited = await env.DB.prepare(
      "select target_id as id, count(*) as n from audit_events where type = 'report.downloaded' and organization_id = ?1 group by target_id",
    )
      .bind(admin.organizationId)
      .all<{ id: string; n: number }>();
    expect(Object.fromEntries(audited.results.map((r) => [r.id, r.n]))).toEqual({ [a.executionId]: 1, [b.executionId]: 1, [c.executionId]: 1 });
  });
});
