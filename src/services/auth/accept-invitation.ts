import { and, eq, gt, isNull } from "drizzle-orm";
import { namedBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { invitations, organizations, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { GoneError } from "../../errors";
import { newId } from "../../lib/ids";
import { hashPassword } from "../../lib/password";
import { sha256Hex } from "../../lib/secrets";
import { toOrganizationDto, toUserDto } from "./dto";
import { prepareSession } from "./issue-session";

export type AcceptInvitationInput = { token: string; password: string };

const NOT_VALID = "This invitation link is not valid: it was used already, it expired, or it was never issued";

/**
 * Sets the invited user's password and signs them in. An operator's invitation names an account
 * made without a password; an admin's invitation of a member names an address, and the account is
 * made now (an address that has an account meanwhile cannot take it: the link is then not valid).
 * Either way the address is confirmed: the link was sent to it. The invitation is used once: the
 * writes are guarded on it being unaccepted, so two submissions of one link set one password.
 */
export async function acceptInvitation({ db, env, now, input }: { db: Db; env: Env; now: Date; input: AcceptInvitationInput }) {
  const tokenHash = await sha256Hex(input.token);
  const [invitation] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)));
  if (!invitation) throw new GoneError(NOT_VALID, "link_expired");
  const passwordHash = await hashPassword(input.password);
  const user = invitation.userId ? await invitedAccount(db, invitation.userId, invitation.organizationId) : await newMember(db, invitation, passwordHash, now);
  const { session } = await prepareSession(env, db, user, now);
  // One transaction: the invitation is used, the password set (or the account made) and the session
  // opened together, and only by the request whose claim won (its marker is unique to this attempt).
  const used = `${tokenHash}:used:${session.sessionId}`;
  const won = "exists (select 1 from invitations where id = ?1 and token_hash = ?2)";
  const account = invitation.userId
    ? env.DB.prepare(`update users set password_hash = ?3, updated_at = ?4, email_verified_at = coalesce(email_verified_at, ?4) where id = ?5 and ${won}`).bind(
        invitation.id,
        used,
        passwordHash,
        now.getTime(),
        user.id,
      )
    : env.DB.prepare(
        `insert into users (id, organization_id, email, name, role, password_hash, email_verified_at, created_at, updated_at)
         select ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?9 where ${won} and not exists (select 1 from users where email = ?5)`,
      ).bind(invitation.id, used, user.id, user.organizationId, user.email, user.name, user.role, passwordHash, now.getTime());
  const { claim, made } = await namedBatch(env.DB, {
    claim: env.DB.prepare("update invitations set accepted_at = ?3, token_hash = ?2 where id = ?1 and accepted_at is null").bind(
      invitation.id,
      used,
      now.getTime(),
    ),
    made: account,
    session: env.DB.prepare(
      `insert into sessions (id, user_id, created_at, expires_at) select ?3, ?4, ?5, ?6 where ${won} and exists (select 1 from users where id = ?4)`,
    ).bind(invitation.id, used, session.sessionId, user.id, now.getTime(), session.expiresAt.getTime()),
  });
  if (!claim.meta.changes) throw new GoneError("This invitation link was used already", "link_expired");
  // The address got an account elsewhere after the invitation: the link is used up, nothing is made.
  if (!made.meta.changes) throw new GoneError(NOT_VALID, "link_expired");
  const audit = { db, now, auth: { organizationId: user.organizationId, actorId: user.id } };
  await auditInsert(audit, { type: "invitation.accepted", targetType: "user", targetId: user.id, data: { email: user.email } });
  if (!invitation.userId)
    await auditInsert(audit, { type: "user.created", targetType: "user", targetId: user.id, data: { email: user.email, role: user.role } });
  const [org] = await db.select().from(organizations).where(eq(organizations.id, user.organizationId));
  return { user: toUserDto({ ...user, emailVerifiedAt: user.emailVerifiedAt ?? now }), organization: toOrganizationDto(org!), session };
}

async function invitedAccount(db: Db, userId: string, organizationId: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.organizationId, organizationId)));
  if (!user) throw new GoneError("The invited account no longer exists", "link_expired");
  return user;
}

/** The account an admin's invitation makes when it is accepted (not written yet). */
async function newMember(db: Db, invitation: typeof invitations.$inferSelect, passwordHash: string, now: Date) {
  if (!invitation.email || !invitation.name || !invitation.role) throw new GoneError(NOT_VALID, "link_expired");
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, invitation.email)).limit(1);
  if (taken) throw new GoneError(NOT_VALID, "link_expired");
  return {
    id: newId(),
    organizationId: invitation.organizationId,
    email: invitation.email,
    name: invitation.name,
    role: invitation.role,
    passwordHash,
    emailVerifiedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}
