import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { invitations, organizations, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { GoneError } from "../../errors";
import { hashPassword } from "../../lib/password";
import { sha256Hex } from "../../lib/secrets";
import { toOrganizationDto, toUserDto } from "./dto";
import { prepareSession } from "./issue-session";

export type AcceptInvitationInput = { token: string; password: string };

/**
 * Sets the invited user's password and signs them in. The invitation is used once: the update is
 * guarded on it being unaccepted and unexpired, so two submissions of one link set one password.
 */
export async function acceptInvitation({ db, env, now, input }: { db: Db; env: Env; now: Date; input: AcceptInvitationInput }) {
  const tokenHash = await sha256Hex(input.token);
  const [invitation] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)));
  if (!invitation) throw new GoneError("This invitation link is not valid: it was used already, it expired, or it was never issued", "link_expired");
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, invitation.userId), eq(users.organizationId, invitation.organizationId)));
  if (!user) throw new GoneError("The invited account no longer exists", "link_expired");
  const passwordHash = await hashPassword(input.password);
  const { session } = await prepareSession(env, db, user, now);
  // One transaction: the invitation is used, the password set and the session opened together, and
  // only by the request whose claim won (its marker is unique to this attempt).
  const used = `${tokenHash}:used:${session.sessionId}`;
  const won = "exists (select 1 from invitations where id = ?1 and token_hash = ?2)";
  const [claim] = await env.DB.batch([
    env.DB.prepare("update invitations set accepted_at = ?3, token_hash = ?2 where id = ?1 and accepted_at is null").bind(invitation.id, used, now.getTime()),
    env.DB.prepare(`update users set password_hash = ?3, updated_at = ?4 where id = ?5 and ${won}`).bind(
      invitation.id,
      used,
      passwordHash,
      now.getTime(),
      user.id,
    ),
    env.DB.prepare(`insert into sessions (id, user_id, created_at, expires_at) select ?3, ?4, ?5, ?6 where ${won}`).bind(
      invitation.id,
      used,
      session.sessionId,
      user.id,
      now.getTime(),
      session.expiresAt.getTime(),
    ),
  ]);
  if (!claim?.meta.changes) throw new GoneError("This invitation link was used already", "link_expired");
  await auditInsert(
    { db, now, auth: { organizationId: user.organizationId, actorId: user.id } },
    { type: "invitation.accepted", targetType: "user", targetId: user.id, data: { email: user.email } },
  );
  const [org] = await db.select().from(organizations).where(eq(organizations.id, user.organizationId));
  return { user: toUserDto(user), organization: toOrganizationDto(org!), session };
}
