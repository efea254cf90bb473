import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { api, expectError, newMember, newOrganization, PASSWORD, unique } from "./support/api";
import { snapshotCounts } from "./support/db";

const b64url = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const secret = () => new TextEncoder().encode(env.JWT_SECRET);

async function signToken(claims: { sub: string; org: string; jti: string }, opts: { exp?: number; iss?: string; aud?: string } = {}) {
  return new SignJWT({ org: claims.org })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setJti(claims.jti)
    .setIssuer(opts.iss ?? env.JWT_ISSUER)
    .setAudience(opts.aud ?? env.JWT_AUDIENCE)
    .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600)
    .sign(secret());
}

const claimsOf = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));

describe("signup", () => {
  it("creates an organization with its admin, hashes the password and signs in", async () => {
    const email = `${unique("Founder")}@Example.com`;
    const res = await api("/api/auth/signup", { body: { email, password: PASSWORD, name: "Founder", organizationName: "Acme" } });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: email.toLowerCase(), role: "admin", name: "Founder" });
    expect(res.body.organization.name).toBe("Acme");
    expect(res.headers.get("set-cookie")).toMatch(/sr_session=.+HttpOnly/i);
    const row = await env.DB.prepare("select password_hash from users where id = ?").bind(res.body.user.id).first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
    const me = await api("/api/me", { token: res.body.token });
    expect(me.body.organization.id).toBe(res.body.organization.id);
  });

  it("gives two users with the same password different hashes (per-user salt)", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    const hashes = await env.DB.prepare("select password_hash as h from users where id in (?, ?)").bind(a.userId, b.userId).all<{ h: string }>();
    expect(new Set(hashes.results.map((r) => r.h.split("$")[2])).size).toBe(2);
  });

  it.each([
    ["a short password", { password: "short" }],
    ["a bad email", { email: "not-an-email" }],
    ["a missing organization name", { organizationName: "" }],
    ["an unknown field", { role: "admin" }],
  ])("refuses %s and writes nothing", async (_, override) => {
    const before = await env.DB.prepare("select count(*) as n from organizations").first<{ n: number }>();
    const res = await api("/api/auth/signup", {
      body: { email: `${unique("x")}@example.com`, password: PASSWORD, name: "X", organizationName: "X", ...override },
    });
    expectError(res, 400, "validation_failed");
    expect(res.body.error.details.length).toBeGreaterThan(0);
    const after = await env.DB.prepare("select count(*) as n from organizations").first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });

  it("refuses an email that already has an account with 409", async () => {
    const existing = await newOrganization();
    const res = await api("/api/auth/signup", { body: { email: existing.email.toUpperCase(), password: PASSWORD, name: "Y", organizationName: "Y" } });
    expectError(res, 409, "conflict");
  });

  it("refuses a body that is not JSON", async () => {
    expectError(await api("/api/auth/signup", { body: "{not json", headers: { "content-type": "application/json" } }), 400);
    expectError(await api("/api/auth/signup", { body: "email=a", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415);
  });
});

describe("login and logout", () => {
  it("signs in with the right password and sets the session cookie", async () => {
    const user = await newOrganization();
    const res = await api("/api/auth/login", { body: { email: user.email, password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.userId);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const viaCookie = await api("/api/me", { headers: { cookie: cookie.split(";")[0]! } });
    expect(viaCookie.body.user.id).toBe(user.userId);
  });

  it("answers a wrong password and an unknown email the same way", async () => {
    const user = await newOrganization();
    const wrong = await api("/api/auth/login", { body: { email: user.email, password: "wrong-password-123" } });
    const unknown = await api("/api/auth/login", { body: { email: `${unique("nobody")}@example.com`, password: PASSWORD } });
    expectError(wrong, 401);
    expectError(unknown, 401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it("ends the session on logout: the same token is refused afterwards", async () => {
    const user = await newOrganization();
    expect((await api("/api/auth/logout", { method: "POST", token: user.token })).status).toBe(204);
    expectError(await api("/api/me", { token: user.token }), 401, "unauthorized");
  });
});

describe("tokens", () => {
  it("refuses a request without a token", async () => {
    expectError(await api("/api/me"), 401, "unauthorized");
    expectError(await api("/api/scheduled-reports"), 401, "unauthorized");
  });

  it("refuses a tampered token", async () => {
    const user = await newOrganization();
    const [h, , s] = user.token.split(".");
    const forged = `${h}.${b64url({ ...claimsOf(user.token), sub: "someone-else" })}.${s}`;
    expectError(await api("/api/me", { token: forged }), 401);
  });

  it("refuses an expired token", async () => {
    const user = await newOrganization();
    const claims = claimsOf(user.token);
    const expired = await signToken({ sub: claims.sub, org: claims.org, jti: claims.jti }, { exp: Math.floor(Date.now() / 1000) - 60 });
    expectError(await api("/api/me", { token: expired }), 401);
  });

  it("refuses alg: none", async () => {
    const user = await newOrganization();
    const none = `${b64url({ alg: "none", typ: "JWT" })}.${b64url(claimsOf(user.token))}.`;
    expectError(await api("/api/me", { token: none }), 401);
  });

  it("refuses a token for another issuer or audience", async () => {
    const user = await newOrganization();
    const c = claimsOf(user.token);
    expectError(await api("/api/me", { token: await signToken(c, { iss: "someone-else" }) }), 401);
    expectError(await api("/api/me", { token: await signToken(c, { aud: "another-api" }) }), 401);
  });

  it("refuses a validly signed token that claims another organization", async () => {
    const user = await newOrganization();
    const other = await newOrganization();
    const c = claimsOf(user.token);
    expectError(await api("/api/me", { token: await signToken({ ...c, org: other.organizationId }) }), 401);
  });
});

describe("users", () => {
  it("lets an admin add, list, change and remove users", async () => {
    const admin = await newOrganization();
    const editor = await newMember(admin, "editor");
    const list = await api("/api/users", { token: admin.token });
    expect(list.body.items.map((u: any) => u.id).sort()).toEqual([admin.userId, editor.userId].sort());
    const patched = await api(`/api/users/${editor.userId}`, { method: "PATCH", token: admin.token, body: { role: "viewer" } });
    expect(patched.body.user.role).toBe("viewer");
    // The new role applies to the existing session at once.
    expectError(await api("/api/users", { token: editor.token }), 403, "forbidden");
    expect((await api(`/api/users/${editor.userId}`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expectError(await api("/api/me", { token: editor.token }), 401);
    const types = (await api("/api/audit-events", { token: admin.token })).body.items.map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(["user.created", "user.updated", "user.deleted"]));
  });

  it("ends a user's sessions when an admin sets a new password", async () => {
    const admin = await newOrganization();
    const viewer = await newMember(admin, "viewer");
    await api(`/api/users/${viewer.userId}`, { method: "PATCH", token: admin.token, body: { password: "a-brand-new-password" } });
    expectError(await api("/api/me", { token: viewer.token }), 401);
    expect((await api("/api/auth/login", { body: { email: viewer.email, password: "a-brand-new-password" } })).status).toBe(200);
  });

  it("keeps at least one admin", async () => {
    const admin = await newOrganization();
    expectError(await api(`/api/users/${admin.userId}`, { method: "PATCH", token: admin.token, body: { role: "viewer" } }), 409);
    expectError(await api(`/api/users/${admin.userId}`, { method: "DELETE", token: admin.token }), 409);
  });

  it.each(["editor", "viewer"] as const)("refuses user management to an %s", async (role) => {
    const admin = await newOrganization();
    const member = await newMember(admin, role);
    const before = await snapshotCounts(admin.organizationId);
    expectError(await api("/api/users", { token: member.token }), 403);
    expectError(
      await api("/api/users", { token: member.token, body: { email: `${unique("x")}@example.com`, name: "X", role: "admin", password: PASSWORD } }),
      403,
    );
    expectError(await api(`/api/users/${admin.userId}`, { method: "PATCH", token: member.token, body: { role: "viewer" } }), 403);
    expectError(await api(`/api/users/${admin.userId}`, { method: "DELETE", token: member.token }), 403);
    expect(await snapshotCounts(admin.organizationId)).toEqual(before);
  });

  it("answers 404 for another organization's user", async () => {
    const admin = await newOrganization();
    const other = await newOrganization();
    expectError(await api(`/api/users/${other.userId}`, { method: "PATCH", token: admin.token, body: { name: "Hijacked" } }), 404);
    expectError(await api(`/api/users/${other.userId}`, { method: "DELETE", token: admin.token }), 404);
    const me = await api("/api/me", { token: other.token });
    expect(me.body.user.name).toBe("Ada Admin");
  });

  it("validates a new user and writes nothing", async () => {
    const admin = await newOrganization();
    const before = await snapshotCounts(admin.organizationId);
    expectError(await api("/api/users", { token: admin.token, body: { email: "bad", name: "", role: "owner", password: "x" } }), 400, "validation_failed");
    expect(await snapshotCounts(admin.organizationId)).toEqual(before);
  });
});
