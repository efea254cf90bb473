import { eq } from "drizzle-orm";
import { namedBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { organizations, users } from "../../db/schema";
import { GoneError } from "../../errors";
import { newId } from "../../lib/ids";
import { sha256Hex } from "../../lib/secrets";
import { toOrganizationDto, toUserDto } from "./dto";
import { prepareSession } from "./issue-session";

export type ConfirmSignupInput = { token: string };

const NOT_VALID = "This sign-up link is not valid: it was used already, it expired, or it was never issued. Sign up again, or sign in";

/**
 * Creates the organization, its first admin (the address confirmed) and a session from a sign-up
 * link. One batch, guarded: the link is claimed with a marker unique to this attempt, and the rest
 * is written only by the claim that won and only while the address has no account, so two uses of
 * one link (or two links for one address) make one organization.
 */
export async function confirmSignup({ db, env, now, input }: { db: Db; env: Env; now: Date; input: ConfirmSignupInput }) {
  const tokenHash = await sha256Hex(input.token);
  const request = await env.DB.prepare("select * from signup_requests where token_hash = ?1 and used_at is null and expires_at > ?2")
    .bind(tokenHash, now.getTime())
    .first<{ id: string; email: string; name: string; organization_name: string; password_hash: string }>();
  if (!request) throw new GoneError(NOT_VALID, "link_expired");
  const org = { id: newId(), name: request.organization_name };
  const user = { id: newId(), organizationId: org.id };
  const { session } = await prepareSession(env, db, user, now);
  const used = `${tokenHash}:used:${session.sessionId}`;
  const won = "exists (select 1 from signup_requests where id = ?1 and token_hash = ?2) and not exists (select 1 from users where email = ?3)";
  const at = now.getTime();
  const { claim, organization } = await namedBatch(env.DB, {
    claim: env.DB.prepare("update signup_requests set used_at = ?3, token_hash = ?2 where id = ?1 and used_at is null").bind(request.id, used, at),
    organization: env.DB.prepare(`insert into organizations (id, name, created_at, updated_at) select ?4, ?5, ?6, ?6 where ${won}`).bind(
      request.id,
      used,
      request.email,
      org.id,
      org.name,
      at,
    ),
    admin: env.DB.prepare(
      `insert into users (id, organization_id, email, name, role, password_hash, email_verified_at, created_at, updated_at)
       select ?4, ?5, ?3, ?6, 'admin', ?7, ?8, ?8, ?8 where ${won} and exists (select 1 from organizations where id = ?5)`,
    ).bind(request.id, used, request.email, user.id, org.id, request.name, request.password_hash, at),
    session: env.DB.prepare(
      "insert into sessions (id, user_id, created_at, expires_at) select ?1, ?2, ?3, ?4 where exists (select 1 from users where id = ?2)",
    ).bind(session.sessionId, user.id, at, session.expiresAt.getTime()),
  });
  if (!claim.meta.changes || !organization.meta.changes) throw new GoneError(NOT_VALID, "link_expired");
  const [orgRow] = await db.select().from(organizations).where(eq(organizations.id, org.id));
  const [userRow] = await db.select().from(users).where(eq(users.id, user.id));
  return { user: toUserDto(userRow!), organization: toOrganizationDto(orgRow!), session };
}
