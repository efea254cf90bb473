import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, passwordResets } from "../src/db/schema";
import { GoneError } from "../src/errors";
import worker from "../src/index";
import { sha256Hex } from "../src/lib/secrets";
import { confirmPasswordReset } from "../src/services/auth/confirm-password-reset";
import { PASSWORD_RESET_COOLDOWN_MS, requestPasswordReset } from "../src/services/auth/request-password-reset";
import { api, expectError, newMember, newOrganization, PASSWORD, type TestUser, unique } from "./support/api";
import { db, fake } from "./support/delivery-factories";

const NEW_PASSWORD = "a-brand-new-passphrase";
const randomIp = () => `100.64.20.${Math.floor(Math.random() * 250) + 1}`;

const signIn = (email: string, password: string) => api("/api/auth/login", { body: { email, password } });
const me = (token: string) => api("/api/me", { token });

/**
 * Asks for a reset link through the Worker itself, waiting for the work it does after answering
 * (the email is sent in waitUntil), so the test reads the fake provider only once it was sent.
 */
async function requestReset(email: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("http://127.0.0.1:8787/api/auth/password-reset", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": randomIp() },
      body: JSON.stringify({ email }),
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: await res.json() };
}

/** The reset links emailed to `email` (through the fake Resend), oldest first. */
async function resetLinks(email: string): Promise<string[]> {
  const sent = (await fake.requests(email)).filter((r) => r.path === "/resend/emails");
  return sent.map((r) => {
    const body = JSON.parse(r.body) as { to: string[]; subject: string; text: string };
    expect(body.to).toEqual([email]);
    expect(body.subject).toBe("Set a new password for Scheduled Reports");
    return /https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/.exec(body.text)![0];
  });
}
const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

const confirm = (token: string, newPassword = NEW_PASSWORD) => api("/api/auth/password-reset/confirm", { body: { token, newPassword } });

/** The cool-down after the user's last link is over: its links were asked for 15 minutes earlier. */
async function endCooldown(user: TestUser) {
  await env.DB.prepare("update password_resets set created_at = created_at - ?2 where user_id = ?1").bind(user.userId, PASSWORD_RESET_COOLDOWN_MS).run();
}

async function auditOf(user: TestUser, type: string) {
  return db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, user.organizationId), eq(auditEvents.type, type), eq(auditEvents.targetId, user.userId)));
}

describe("changing one's password", () => {
  it("refuses a wrong current password with a clear error and changes nothing", async () => {
    const user = await newOrganization();
    const res = await api("/api/auth/password", { token: user.token, body: { currentPassword: "not-my-password", newPassword: NEW_PASSWORD } });
    expectError(res, 400, "validation_failed");
    expect(res.body.error.details).toEqual([{ path: "currentPassword", message: "This is not your current password", code: "wrong_password" }]);
    expect((await signIn(user.email, PASSWORD)).status).toBe(200);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(401);
    expect(await auditOf(user, "user.password_changed")).toEqual([]);
  });

  it("replaces the password, ends every other session and keeps the caller's, audited without the password", async () => {
    const user = await newOrganization();
    const other = (await signIn(user.email, PASSWORD)).body.token as string;
    expect((await me(other)).status).toBe(200);
    const res = await api("/api/auth/password", { token: user.token, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    expect(res.status).toBe(204);
    expect((await me(user.token)).status).toBe(200);
    expectError(await me(other), 401, "unauthorized");
    expect((await signIn(user.email, PASSWORD)).status).toBe(401);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
    const audit = await auditOf(user, "user.password_changed");
    expect(audit).toMatchObject([{ actorId: user.userId, targetType: "user", data: { changed: ["password"], otherSessionsEnded: 1 } }]);
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it("refuses the current password as the new one, a short one, API keys and no session", async () => {
    const user = await newOrganization();
    const same = await api("/api/auth/password", { token: user.token, body: { currentPassword: PASSWORD, newPassword: PASSWORD } });
    expectError(same, 400, "validation_failed");
    expect(same.body.error.details[0].path).toBe("newPassword");
    const short = await api("/api/auth/password", { token: user.token, body: { currentPassword: PASSWORD, newPassword: "short" } });
    expectError(short, 400, "validation_failed");
    expect(short.body.error.details[0].path).toBe("newPassword");
    const key = await api("/api/api-keys", { token: user.token, body: { name: "robot", role: "admin" } });
    expectError(await api("/api/auth/password", { token: key.body.secret, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }), 403, "forbidden");
    expectError(await api("/api/auth/password", { body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }), 401, "unauthorized");
    expect((await signIn(user.email, PASSWORD)).status).toBe(200);
  });
});

describe("resetting a password by email", () => {
  it("answers the same for an address with an account and one without, and emails only the account", async () => {
    const user = await newOrganization();
    const nobody = `${unique("nobody")}@example.com`;
    const known = await requestReset(user.email);
    const unknown = await requestReset(nobody);
    expect(known.status).toBe(202);
    expect(unknown).toEqual(known);
    expect(await fake.requests(nobody)).toEqual([]);
    const [link] = await resetLinks(user.email);
    expect(link!.startsWith(`${env.APP_URL}/reset-password?token=`)).toBe(true);
    // 256 random bits, kept only as their SHA-256, for one hour.
    const token = tokenOf(link!);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db().select().from(passwordResets).where(eq(passwordResets.userId, user.userId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(await sha256Hex(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBe(3600_000);
    expect(await auditOf(user, "user.password_reset_requested")).toMatchObject([{ actorId: null, data: { email: user.email } }]);
  });

  it("emails an address at most once in 15 minutes, whatever the requests, answering each the same", async () => {
    const user = await newOrganization();
    const nobody = `${unique("nobody")}@example.com`;
    const answers = [await requestReset(user.email), ...(await Promise.all([requestReset(user.email), requestReset(user.email)]))];
    answers.push(await requestReset(user.email), await requestReset(nobody));
    expect(answers.every((a) => JSON.stringify(a) === JSON.stringify(answers[0]))).toBe(true);
    expect(answers[0]!.status).toBe(202);
    const [link, ...more] = await resetLinks(user.email);
    expect(more).toEqual([]);
    expect(await db().select().from(passwordResets).where(eq(passwordResets.userId, user.userId))).toHaveLength(1);
    expect(await auditOf(user, "user.password_reset_requested")).toHaveLength(1);

    // The boundary, with the time passed explicitly: a second before the 15 minutes nothing; at 15 minutes a new link.
    const [row] = await db().select().from(passwordResets).where(eq(passwordResets.userId, user.userId));
    const at = (ms: number) =>
      requestPasswordReset({ db: db(), env, now: new Date(row!.createdAt.getTime() + ms), input: { email: user.email }, ip: randomIp() });
    expect(await at(PASSWORD_RESET_COOLDOWN_MS - 1000)).toBe("cooling_down");
    expect(await resetLinks(user.email)).toHaveLength(1);
    expect(await at(PASSWORD_RESET_COOLDOWN_MS)).toBe("sent");
    expect(await resetLinks(user.email)).toHaveLength(2);
    // The link from the cool-down's start was good until the new one superseded it.
    expectError(await confirm(tokenOf(link!)), 410, "link_expired");
  });

  it("sets the password once with the link, ends every session, and audits it", async () => {
    const user = await newOrganization();
    const member = await newMember(user, "viewer");
    await requestReset(user.email);
    const token = tokenOf((await resetLinks(user.email))[0]!);
    expect((await confirm(token)).status).toBe(204);
    expectError(await me(user.token), 401, "unauthorized");
    expect((await me(member.token)).status).toBe(200); // another user's session is not touched
    expect((await signIn(user.email, PASSWORD)).status).toBe(401);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);

    const again = await confirm(token, "yet-another-passphrase");
    expectError(again, 410, "link_expired");
    expect(again.body.error.message).toContain("used already");
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);

    const audit = await auditOf(user, "user.password_reset");
    expect(audit).toMatchObject([{ actorId: user.userId, data: { changed: ["password"], sessionsEnded: 1 } }]);
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("supersedes an earlier link with a newer one", async () => {
    const user = await newOrganization();
    await requestReset(user.email);
    await endCooldown(user);
    await requestReset(user.email);
    const [first, second] = (await resetLinks(user.email)).map(tokenOf) as [string, string];
    expect(first).not.toBe(second);
    const refused = await confirm(first);
    expectError(refused, 410, "link_expired");
    expect(refused.body.error.message).toContain("newer password reset link");
    expect((await signIn(user.email, PASSWORD)).status).toBe(200);
    expect((await confirm(second)).status).toBe(204);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it("refuses a link after its hour, and a link that was never issued, changing nothing", async () => {
    const user = await newOrganization();
    await requestReset(user.email);
    const token = tokenOf((await resetLinks(user.email))[0]!);
    const [row] = await db().select().from(passwordResets).where(eq(passwordResets.userId, user.userId));
    const late = confirmPasswordReset({ db: db(), now: row!.expiresAt, input: { token, newPassword: NEW_PASSWORD } });
    await expect(late).rejects.toThrow(GoneError);
    await expect(late).rejects.toThrow(/expired \(links work for one hour\)/);
    expect((await signIn(user.email, PASSWORD)).status).toBe(200);
    expect((await me(user.token)).status).toBe(200);

    const unknown = await confirm("x".repeat(43));
    expectError(unknown, 410, "link_expired");
    expect(unknown.body.error.message).toContain("never issued");
    expectError(await confirm("short"), 400, "validation_failed");
    expectError(await confirm(token, "short"), 400, "validation_failed");
    // Still usable within its hour.
    expect((await confirm(token)).status).toBe(204);
  });

  it("ends unused links when the password is changed while signed in", async () => {
    const user = await newOrganization();
    await requestReset(user.email);
    const token = tokenOf((await resetLinks(user.email))[0]!);
    expect((await api("/api/auth/password", { token: user.token, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } })).status).toBe(204);
    expectError(await confirm(token, "yet-another-passphrase"), 410, "link_expired");
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it("refuses a malformed address (the only answer that differs)", async () => {
    const res = await api("/api/auth/password-reset", { body: { email: "not-an-address" } });
    expectError(res, 400, "validation_failed");
  });
});
