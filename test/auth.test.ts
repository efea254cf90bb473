import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { applyRetention } from "../src/jobs/retention/apply-retention";
import { api, emailsTo, expectError, linkEmailedTo, newMember, newOrganization, PASSWORD, tokenOfLink, unique } from "./support/api";
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
  it("emails a confirmation link; the link creates the organization with its admin, hashes the password and signs in", async () => {
    const email = `${unique("Founder")}@Example.com`;
    const res = await api("/api/auth/signup", { body: { email, password: PASSWORD, name: "Founder", organizationName: "Acme" } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: "check_email" });
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await env.DB.prepare("select count(*) as n from users where email = ?1").bind(email.toLowerCase()).first("n")).toBe(0);
    const [mail] = await emailsTo(email.toLowerCase());
    expect(mail!.subject).toBe("Confirm your Scheduled Reports sign-up");
    const token = tokenOfLink(await linkEmailedTo(email.toLowerCase(), "/signup/confirm"));
    const confirmed = await api("/api/auth/signup/confirm", { body: { token } });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.user).toMatchObject({ email: email.toLowerCase(), role: "admin", name: "Founder" });
    expect(confirmed.body.organization.name).toBe("Acme");
    expect(confirmed.headers.get("set-cookie")).toMatch(/sr_session=.+HttpOnly/i);
    const row = await env.DB.prepare("select password_hash, email_verified_at from users where id = ?")
      .bind(confirmed.body.user.id)
      .first<{ password_hash: string; email_verified_at: number | null }>();
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
    expect(row!.email_verified_at).toEqual(expect.any(Number));
    const me = await api("/api/me", { token: confirmed.body.token });
    expect(me.body.organization.id).toBe(confirmed.body.organization.id);
    // The link works once.
    expectError(await api("/api/auth/signup/confirm", { body: { token } }), 410, "link_expired");
    expectError(await api("/api/auth/signup/confirm", { body: { token: "x".repeat(43) } }), 410, "link_expired");
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

  it("answers the same for an address that has an account (#23 item 13), and emails its owner instead", async () => {
    const existing = await newOrganization();
    const fresh = `${unique("fresh")}@example.com`;
    // Its own sign-up was a moment ago: past the 15 minutes in which an address gets one sign-up email.
    await env.DB.prepare("update signup_requests set created_at = created_at - 960000 where email = ?1").bind(existing.email).run();
    const before = await env.DB.prepare("select count(*) as n from organizations").first<{ n: number }>();
    const taken = await api("/api/auth/signup", { body: { email: existing.email.toUpperCase(), password: PASSWORD, name: "Y", organizationName: "Y" } });
    const free = await api("/api/auth/signup", { body: { email: fresh, password: PASSWORD, name: "Y", organizationName: "Y" } });
    expect([taken.status, free.status]).toEqual([202, 202]);
    expect(taken.body).toEqual(free.body);
    expect([...taken.headers.keys()].filter((h) => h !== "x-request-id").sort()).toEqual([...free.headers.keys()].filter((h) => h !== "x-request-id").sort());
    const notes = (await emailsTo(existing.email)).filter((m) => m.subject === "Someone tried to sign up with your address");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).not.toMatch(/token=/);
    expect((await env.DB.prepare("select count(*) as n from organizations").first<{ n: number }>())!.n).toBe(before!.n);
    // The owner's password is unchanged; a second try within 15 minutes sends nothing more.
    expect((await api("/api/auth/login", { body: { email: existing.email, password: PASSWORD } })).status).toBe(200);
    expect((await api("/api/auth/signup", { body: { email: existing.email, password: PASSWORD, name: "Y", organizationName: "Y" } })).status).toBe(202);
    expect((await emailsTo(existing.email)).filter((m) => m.subject === "Someone tried to sign up with your address")).toHaveLength(1);
  });

  it("makes one organization from two confirmation links of one address", async () => {
    const email = `${unique("twice")}@example.com`;
    await api("/api/auth/signup", { body: { email, password: PASSWORD, name: "T", organizationName: "T" } });
    const first = tokenOfLink(await linkEmailedTo(email, "/signup/confirm"));
    await env.DB.prepare("update signup_requests set created_at = created_at - 3600000 where email = ?1").bind(email).run();
    await api("/api/auth/signup", { body: { email, password: PASSWORD, name: "T", organizationName: "T" } });
    const second = tokenOfLink(await linkEmailedTo(email, "/signup/confirm"));
    expect(second).not.toBe(first);
    const [a, b] = await Promise.all([
      api("/api/auth/signup/confirm", { body: { token: first } }),
      api("/api/auth/signup/confirm", { body: { token: second } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 410]);
    expect(await env.DB.prepare("select count(*) as n from users where email = ?1").bind(email).first("n")).toBe(1);
  });

  it("forgets sign-up requests a day after their link expired (retention)", async () => {
    const admin = await newOrganization();
    const count = () => env.DB.prepare("select count(*) as n from signup_requests where email = ?1").bind(admin.email).first("n");
    expect(await count()).toBe(1);
    await applyRetention(env, new Date(Date.now() + 47 * 3600_000));
    expect(await count()).toBe(1);
    await applyRetention(env, new Date(Date.now() + 49 * 3600_000));
    expect(await count()).toBe(0);
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
    expectError(await api("/api/users", { token: member.token, body: { email: `${unique("x")}@example.com`, name: "X", role: "admin" } }), 403);
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

  it("adds a member by invitation: the link makes the account with its role and signs in", async () => {
    const admin = await newOrganization();
    const email = `${unique("Invitee")}@Example.com`;
    const invited = await api("/api/users", { token: admin.token, body: { email, name: "Ivy", role: "editor" } });
    expect(invited.status).toBe(202);
    expect(invited.body.invitation).toMatchObject({ email: email.toLowerCase(), name: "Ivy", role: "editor", expiresAt: expect.any(String) });
    expect((await api("/api/users", { token: admin.token })).body.items).toHaveLength(1);
    const [mail] = await emailsTo(email.toLowerCase());
    expect(mail!.subject).toMatch(/^You are invited to /);
    const accepted = await api("/api/auth/invitations/accept", {
      body: { token: tokenOfLink(await linkEmailedTo(email.toLowerCase(), "/invite")), password: PASSWORD },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email: email.toLowerCase(), role: "editor", name: "Ivy", organizationId: admin.organizationId });
    expect((await api("/api/me", { token: accepted.body.token })).body.user.role).toBe("editor");
    expectError(await api("/api/users", { token: admin.token, body: { email, name: "Ivy", role: "viewer" } }), 409, "conflict");
  });

  it("answers the same whether or not the address has an account in another organization (#23 item 13)", async () => {
    const admin = await newOrganization();
    const elsewhere = await newOrganization();
    const fresh = `${unique("fresh")}@example.com`;
    const taken = await api("/api/users", { token: admin.token, body: { email: elsewhere.email, name: "Eve", role: "viewer" } });
    const free = await api("/api/users", { token: admin.token, body: { email: fresh, name: "Eve", role: "viewer" } });
    expect([taken.status, free.status]).toEqual([202, 202]);
    const shape = (b: { invitation: Record<string, unknown> }) => Object.keys(b.invitation).sort();
    expect(shape(taken.body)).toEqual(shape(free.body));
    expect(taken.body.invitation).toMatchObject({ email: elsewhere.email, role: "viewer", name: "Eve" });
    // The owner is told, with no link to accept; the other organization's account is untouched.
    const notes = (await emailsTo(elsewhere.email)).filter((m) => m.subject.startsWith("You were invited to"));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).not.toMatch(/token=/);
    expect((await api("/api/me", { token: elsewhere.token })).body.organization.id).toBe(elsewhere.organizationId);
    // Nor does the member list tell: neither address is a member until an invitation is accepted.
    expect((await api("/api/users", { token: admin.token })).body.items.map((u: { email: string }) => u.email)).toEqual([admin.email]);
  });

  it("does not let an invitation take an address that got an account meanwhile", async () => {
    const admin = await newOrganization();
    const email = `${unique("late")}@example.com`;
    await api("/api/users", { token: admin.token, body: { email, name: "Late", role: "viewer" } });
    const token = tokenOfLink(await linkEmailedTo(email, "/invite"));
    const other = await newOrganization();
    await env.DB.prepare("update users set email = ?1 where id = ?2").bind(email, other.userId).run();
    expectError(await api("/api/auth/invitations/accept", { body: { token, password: PASSWORD } }), 410, "link_expired");
    expect(await env.DB.prepare("select organization_id as o from users where email = ?1").bind(email).first("o")).toBe(other.organizationId);
  });

  it("validates a new user and writes nothing", async () => {
    const admin = await newOrganization();
    const before = await snapshotCounts(admin.organizationId);
    expectError(await api("/api/users", { token: admin.token, body: { email: "bad", name: "", role: "owner" } }), 400, "validation_failed");
    // A password is no longer chosen by the admin: the invitee sets it.
    expectError(
      await api("/api/users", { token: admin.token, body: { email: `${unique("p")}@example.com`, name: "P", role: "viewer", password: PASSWORD } }),
      400,
      "validation_failed",
    );
    expect(await snapshotCounts(admin.organizationId)).toEqual(before);
  });
});
