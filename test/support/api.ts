import { env, SELF } from "cloudflare:test";

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

/** A fresh organization with its admin, through the real signup endpoint. */
export async function newOrganization(): Promise<TestUser> {
  const email = `${unique("admin")}@example.com`;
  const res = await api("/api/auth/signup", { body: { email, password: PASSWORD, name: "Ada Admin", organizationName: unique("Org") } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.token, userId: res.body.user.id, organizationId: res.body.organization.id, email };
}

/** Adds a user with `role` to the admin's organization and signs them in. */
export async function newMember(admin: TestUser, role: "admin" | "editor" | "viewer"): Promise<TestUser> {
  const email = `${unique(role)}@example.com`;
  const created = await api("/api/users", { token: admin.token, body: { email, name: `A ${role}`, role, password: PASSWORD } });
  if (created.status !== 201) throw new Error(`create user failed: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await api("/api/auth/login", { body: { email, password: PASSWORD } });
  return { token: login.body.token, userId: login.body.user.id, organizationId: admin.organizationId, email };
}

export function expectError(res: ApiResponse, status: number, code?: string) {
  if (res.status !== status || typeof res.body?.error?.code !== "string" || typeof res.body.error.requestId !== "string") {
    throw new Error(`expected error ${status}${code ? ` ${code}` : ""}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  if (code && res.body.error.code !== code) throw new Error(`expected code ${code}, got ${res.body.error.code}`);
}
