import { eq, sql } from "drizzle-orm";
import { sendEmail, senderOf } from "../../channels/email";
import { signupConfirmationEmail, signupExistingAccountEmail } from "../../channels/email-templates";
import { config } from "../../config";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { ForbiddenError } from "../../errors";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { hashPassword } from "../../lib/password";
import { randomToken, sha256Hex } from "../../lib/secrets";

export type SignupInput = { email: string; password: string; name: string; organizationName: string };

/** A sign-up link works for a day, once. */
export const SIGNUP_TTL_MS = 24 * 3600_000;
/** At most one sign-up email to an address in this time: a mailbox cannot be flooded through sign-up. */
export const SIGNUP_COOLDOWN_MS = 15 * 60_000;

/**
 * Sign-up answers the same whether or not the address has an account ("check your email"): the
 * mailbox's owner learns which. A new address gets a link that creates the organization and its
 * admin (confirm-signup.ts), so every signer's address is confirmed; an address with an account gets
 * a note that someone tried, with a way to sign in. Both paths hash the password, write one row and
 * send one email, so the timing tells little either. Returns what happened, for the log only.
 */
export async function signup({ db, env, now, input }: { db: Db; env: Env; now: Date; input: SignupInput }) {
  // A company deployment provisions organizations through the operator API instead.
  const cfg = config(env);
  if (cfg.signup === "closed") throw new ForbiddenError("Sign-up is closed on this service; ask its operator for an invitation");
  const email = input.email.toLowerCase();
  const [existing] = await db.select({ name: users.name, organizationId: users.organizationId }).from(users).where(eq(users.email, email)).limit(1);
  const token = randomToken();
  const request = {
    id: newId(),
    // An address with an account gets a row too (for the cool-down), whose link nobody is sent.
    tokenHash: await sha256Hex(existing ? randomToken() : token),
    passwordHash: await hashPassword(input.password),
    expiresAt: new Date(now.getTime() + (existing ? 0 : SIGNUP_TTL_MS)),
  };
  // One statement: requests at once for one address send one email.
  const created = await db.run(sql`
    insert into signup_requests (id, email, name, organization_name, password_hash, token_hash, created_at, expires_at)
    select ${request.id}, ${email}, ${input.name}, ${input.organizationName}, ${request.passwordHash}, ${request.tokenHash}, ${now.getTime()}, ${request.expiresAt.getTime()}
     where not exists (select 1 from signup_requests where email = ${email} and created_at > ${now.getTime() - SIGNUP_COOLDOWN_MS})`);
  if (!created.meta.changes) return "cooling_down" as const;
  try {
    return await sendSignupEmail(env, { ...input, email }, existing ?? null, request, token);
  } catch (err) {
    // Not sent: the cool-down does not hold back the next try.
    await db.run(sql`delete from signup_requests where id = ${request.id}`);
    throw err;
  }
}

async function sendSignupEmail(
  env: Env,
  input: SignupInput,
  existing: { name: string; organizationId: string } | null,
  request: { id: string; expiresAt: Date },
  token: string,
) {
  const cfg = config(env);
  const email = input.email;
  const key = `signup:${request.id}`;
  const from = senderOf(cfg.delivery, null);
  if (existing) {
    await sendEmail(env, {
      idempotencyKey: key,
      organizationId: existing.organizationId,
      from,
      to: email,
      ...signupExistingAccountEmail({ name: existing.name, signInUrl: `${cfg.appUrl}/login`, resetUrl: `${cfg.appUrl}/forgot-password` }),
      tags: { notice: key },
    });
    return "existing_account" as const;
  }
  const url = `${cfg.appUrl}/signup/confirm?token=${encodeURIComponent(token)}`;
  // Under local development the outbox keeps the email where no session can read it (it belongs to
  // no organization yet): the console shows the link instead.
  if (cfg.localDev && cfg.delivery.emailProvider === "outbox") log("info", "local development: open this link to confirm the sign-up", { to: email, url });
  await sendEmail(env, {
    idempotencyKey: key,
    organizationId: "*",
    from,
    to: email,
    ...signupConfirmationEmail({
      name: input.name,
      organizationName: input.organizationName,
      url,
      expiresAt: request.expiresAt,
    }),
    tags: { notice: key },
  });
  return "sent" as const;
}
