import { env, SELF } from "cloudflare:test";
import { inject } from "vitest";

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers };

type RequestOptions = { method?: string; token?: string; body?: unknown; headers?: Record<string, string> };

/** Calls the Worker's fetch handler as a client would. */
export async function api<T = any>(path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  // A different client address per request, so that per-IP sign-in limits only bite where a test
  // sets the address itself.
  headers["cf-connecting-ip"] ??= `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  if (opts.body !== undefined) headers["content-type"] ??= "application/json";
  const res = await SELF.fetch(`http://127.0.0.1:8787${path}`, {
    method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  await expectDocumented({
    method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
    path,
    status: res.status,
    contentType: res.headers.get("content-type"),
    text,
  });
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, headers: res.headers };
}

/**
 * Every answer a test receives is checked against the OpenAPI document (test/support/contract/):
 * an undocumented status, content type or field fails the test that met it.
 */
async function expectDocumented(answer: { method: string; path: string; status: number; contentType: string | null; text: string }) {
  const url = env.TEST_CONTRACT_URL;
  const res = await fetch(`${url}/check`, {
    method: "POST",
    body: JSON.stringify({ method: answer.method, path: answer.path.split("?")[0], status: answer.status, contentType: answer.contentType, body: answer.text }),
  });
  const { violations } = (await res.json()) as { violations: string[] };
  if (violations.length) throw new Error(`The answer does not match the OpenAPI document:\n${violations.join("\n")}`);
}

/** A webhook body as a receiver got it, checked against the document's `webhooks` description. */
export async function webhookViolations(event: string, body: unknown): Promise<string[]> {
  const url = env.TEST_CONTRACT_URL;
  const res = await fetch(`${url}/webhook`, { method: "POST", body: JSON.stringify({ event, body }) });
  return ((await res.json()) as { violations: string[] }).violations;
}

/** A request body checked against the operation's description in the document. */
export async function requestViolations(method: string, path: string, body: unknown, contentType = "application/json"): Promise<string[]> {
  const res = await fetch(`${env.TEST_CONTRACT_URL}/request`, { method: "POST", body: JSON.stringify({ method, path, contentType, body }) });
  return ((await res.json()) as { violations: string[] }).violations;
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export const PASSWORD = "correct-horse-battery";

export type TestUser = { token: string; userId: string; organizationId: string; email: string };

/** The emails the fake Resend received for `to`, oldest first. */
export async function emailsTo(to: string): Promise<{ to: string[]; subject: string; text: string }[]> {
  const recorded: { path: string; body: string }[] = await (await fetch(`${inject("fakeServices").url}/__requests?match=${encodeURIComponent(to)}`)).json();
  return recorded.filter((r) => r.path === "/resend/emails").map((r) => JSON.parse(r.body));
}

/** The one-time link of the last email to `to` whose text has a link to `path` (for example "/signup/confirm"). */
export async function linkEmailedTo(to: string, path: string): Promise<string> {
  const pattern = new RegExp(`https?://\\S+${path.replace(/[/]/g, "\\/")}\\?token=[A-Za-z0-9_%-]+`);
  const links = (await emailsTo(to)).map((m) => pattern.exec(m.text)?.[0]).filter((l): l is string => !!l);
  if (!links.length) throw new Error(`no email to ${to} with a ${path} link`);
  return links[links.length - 1]!;
}

export const tokenOfLink = (link: string) => new URL(link).searchParams.get("token")!;

/**
 * Forgets what the fake server recorded for a new account's address (its sign-up confirmation or
 * invitation): tests that count the emails an address got count only those their own steps caused.
 */
async function forgetEmailsTo(to: string) {
  await fetch(`${inject("fakeServices").url}/__forget`, { method: "POST", body: JSON.stringify({ match: to }) });
}

/** A fresh organization with its admin, through the real sign-up endpoints (the emailed link confirms it). */
export async function newOrganization(): Promise<TestUser> {
  const email = `${unique("admin")}@example.com`;
  const res = await api("/api/auth/signup", { body: { email, password: PASSWORD, name: "Ada Admin", organizationName: unique("Org") } });
  if (res.status !== 202) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  const confirmed = await api("/api/auth/signup/confirm", { body: { token: tokenOfLink(await linkEmailedTo(email, "/signup/confirm")) } });
  if (confirmed.status !== 201) throw new Error(`signup confirmation failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  await forgetEmailsTo(email);
  return { token: confirmed.body.token, userId: confirmed.body.user.id, organizationId: confirmed.body.organization.id, email };
}

/** Adds a user with `role` to the admin's organization (invited, the invitation accepted) and signs them in. */
export async function newMember(admin: TestUser, role: "admin" | "editor" | "viewer"): Promise<TestUser> {
  const email = `${unique(role)}@example.com`;
  const invited = await api("/api/users", { token: admin.token, body: { email, name: `A ${role}`, role } });
  if (invited.status !== 202) throw new Error(`invite user failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await api("/api/auth/invitations/accept", { body: { token: tokenOfLink(await linkEmailedTo(email, "/invite")), password: PASSWORD } });
  if (accepted.status !== 200) throw new Error(`accept invitation failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  await forgetEmailsTo(email);
  return { token: accepted.body.token, userId: accepted.body.user.id, organizationId: admin.organizationId, email };
}

export function expectError(res: ApiResponse, status: number, code?: string) {
  if (res.status !== status || typeof res.body?.error?.code !== "string" || typeof res.body.error.requestId !== "string") {
    throw new Error(`expected error ${status}${code ? ` ${code}` : ""}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  if (code && res.body.error.code !== code) throw new Error(`expected code ${code}, got ${res.body.error.code}`);
}
