// A fresh organization for a browser test, made through the API: its bearer token for the test's
// own API calls, and its session cookie for the browser.
import type { BrowserContext } from "playwright-core";
import { expect } from "vitest";
import { emailedLink } from "./mailbox";

export interface Organization {
  email: string;
  api: <T = unknown>(method: string, url: string, body?: unknown) => Promise<{ status: number; body: T }>;
  /** Signs `context` in as the organization's first admin. */
  signIn: (context: BrowserContext) => Promise<void>;
}

/**
 * Headers that give a test's requests an address of their own (a random one in the IPv6
 * documentation range, unique across the suite's files; local workerd keeps a
 * `cf-connecting-ip` the request brings). Sign-in and sign-up are limited to 10 a minute per address:
 * from one shared address, whether a suite's sign-ups fit in a window would depend on their timing.
 */
export function ownClientAddress(): Record<string, string> {
  const [a, b, c, d] = crypto.randomUUID().split("-");
  return { "cf-connecting-ip": `2001:db8:${a?.slice(0, 4)}:${b}:${c}:${d}::1` };
}

/** Signs up through the API and confirms with the emailed link: the confirmation's response (201, with the session cookie). */
export async function signUpAndConfirm(base: string, body: { email: string; password: string; name: string; organizationName: string }): Promise<Response> {
  const signup = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", ...ownClientAddress() },
    body: JSON.stringify(body),
  });
  expect(signup.status).toBe(202);
  const link = new URL(await emailedLink(body.email, "/signup/confirm"));
  return fetch(`${base}/api/auth/signup/confirm`, {
    method: "POST",
    headers: { "content-type": "application/json", ...ownClientAddress() },
    body: JSON.stringify({ token: link.searchParams.get("token") }),
  });
}

export async function signUpOrganization(base: string, label: string): Promise<Organization> {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const email = `${label}-${stamp}@example.com`;
  // Sign-up emails a link; using it creates the organization and signs in.
  const confirmed = await signUpAndConfirm(base, { email, password: "a-long-password-4", name: "Ada Admin", organizationName: `${label} ${stamp}` });
  expect(confirmed.status).toBe(201);
  const [name = "", value = ""] = ((confirmed.headers.get("set-cookie") ?? "").split(";")[0] ?? "").split("=");
  expect(value).not.toBe("");
  const { token } = (await confirmed.json()) as { token: string };
  return {
    email,
    api: async (method, url, body) => {
      const res = await fetch(`${base}/api${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    signIn: (context) => context.addCookies([{ name, value, url: base }]),
  };
}

/** A daily CSV report of the support backlog; its id. */
export async function createReport(org: Organization, name: string): Promise<string> {
  const created = await org.api<{ id: string }>("POST", "/scheduled-reports", {
    name,
    reportType: "ticket_backlog",
    format: "csv",
    schedule: { preset: "daily", time: "09:00", timezone: "Europe/Berlin" },
    recipients: [{ type: "email", value: "ops@example.com" }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

/** The same, run once and waited for until the run completed. */
export async function reportWithOneRun(org: Organization, name: string): Promise<string> {
  const id = await createReport(org, name);
  expect((await org.api("POST", `/scheduled-reports/${id}/run`)).status).toBe(202);
  // Called from beforeAll, where expect.poll is not available: its own wait, 60 s at most.
  for (let i = 0; i < 120; i++) {
    const { body } = await org.api<{ items: { status: string }[] }>("GET", `/scheduled-reports/${id}/executions`);
    if (body.items[0]?.status === "completed") return id;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The run of ${name} did not complete in 60 s`);
}
