import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { api, expectError, newOrganization, PASSWORD } from "./support/api";
import { reportBody } from "./support/factories";

/** Signs in and returns the session cookie the browser would hold. */
async function cookieOf(email: string) {
  const login = await api("/api/auth/login", { body: { email, password: PASSWORD } });
  const cookie = /^(sr_session=[^;]+)/.exec(login.headers.get("set-cookie") ?? "")?.[1];
  expect(cookie).toBeTruthy();
  return cookie!;
}
const reportCount = async (org: string) =>
  (await env.DB.prepare("select count(*) as n from scheduled_reports where organization_id = ?").bind(org).first<{ n: number }>())!.n;

describe("cross-site requests with the session cookie", () => {
  it("refuses a change from a foreign origin or with no origin, and writes nothing", async () => {
    const admin = await newOrganization();
    const cookie = await cookieOf(admin.email);
    const attempts: Record<string, string>[] = [
      { cookie, origin: "https://evil.example" },
      { cookie },
      { cookie, origin: "null" },
      { cookie, "sec-fetch-site": "cross-site" },
    ];
    for (const headers of attempts) {
      expectError(await api("/api/scheduled-reports", { body: reportBody(), headers }), 403, "forbidden");
    }
    expectError(await api("/api/auth/logout", { method: "POST", headers: { cookie, origin: "https://evil.example" } }), 403, "forbidden");
    expect(await reportCount(admin.organizationId)).toBe(0);
  });

  it("accepts the dashboard's own requests, reads from anywhere, and bearer tokens whatever the origin", async () => {
    const admin = await newOrganization();
    const cookie = await cookieOf(admin.email);
    expect((await api("/api/scheduled-reports", { body: reportBody(), headers: { cookie, origin: "http://127.0.0.1:8787" } })).status).toBe(201);
    expect((await api("/api/scheduled-reports", { body: reportBody(), headers: { cookie, "sec-fetch-site": "same-origin" } })).status).toBe(201);
    expect((await api("/api/scheduled-reports", { headers: { cookie, origin: "https://evil.example" } })).status).toBe(200);
    expect((await api("/api/scheduled-reports", { token: admin.token, body: reportBody(), headers: { origin: "https://evil.example" } })).status).toBe(201);
    expect(await reportCount(admin.organizationId)).toBe(3);
  });
});

describe("the session cookie outside local development", () => {
  const production = { ...env, LOCAL_DEV: "false", APP_URL: "https://reports.example.com" } as Env;
  async function call(path: string, init: RequestInit = {}) {
    const ctx = createExecutionContext();
    const res = await worker.fetch!(new Request(`https://reports.example.com${path}`, init), production, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it("is __Host- prefixed, Secure, HttpOnly, SameSite=Lax and Path=/, and is read only under that name", async () => {
    const admin = await newOrganization();
    const login = await call("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: admin.email, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-sr_session=[^;]+;/);
    for (const attribute of ["Path=/", "HttpOnly", "Secure", "SameSite=Lax"]) expect(setCookie).toContain(attribute);
    expect(setCookie).not.toMatch(/Domain=/i);
    const token = /^__Host-sr_session=([^;]+)/.exec(setCookie)![1]!;
    expect((await call("/api/me", { headers: { cookie: `__Host-sr_session=${token}` } })).status).toBe(200);
    // A cookie without the prefix could have been planted by a sibling subdomain or over http: it is not a session.
    expect((await call("/api/me", { headers: { cookie: `sr_session=${token}` } })).status).toBe(401);
  });
});
