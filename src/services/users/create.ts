import { eq, sql } from "drizzle-orm";
import { sendEmail, senderOf } from "../../channels/email";
import { memberInvitationEmail, memberInvitationExistingAccountEmail } from "../../channels/email-templates";
import { config } from "../../config";
import { invitations, organizations, type Role, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole, requireUser } from "../../domain/policy";
import { ConflictError } from "../../errors";
import { newId } from "../../lib/ids";
import { randomToken, sha256Hex } from "../../lib/secrets";
import type { ServiceContext } from "../context";
import { INVITATION_TTL_MS } from "../operator/invitations";

export type CreateUserInput = { email: string; name: string; role: Role };

/** At most one invitation email to an address in this time, from any organization. */
export const INVITATION_COOLDOWN_MS = 15 * 60_000;

/**
 * Adds a member by invitation: the address gets a one-time link to set a password, and the account
 * is made when it is accepted (accept-invitation.ts). The answer is the same whether or not the
 * address has an account in another organization (its owner is told by email instead, and that
 * invitation can never be accepted), so an admin learns nothing about other organizations. A
 * member of this organization is a 409: the admin sees those anyway.
 */
export async function createUser({ ctx, input }: { ctx: ServiceContext; input: CreateUserInput }) {
  requireRole(ctx.auth, "admin");
  requireUser(ctx.auth);
  const email = input.email.toLowerCase();
  const [account] = await ctx.db.select({ organizationId: users.organizationId, name: users.name }).from(users).where(eq(users.email, email)).limit(1);
  if (account?.organizationId === ctx.auth.organizationId) throw new ConflictError("This address is already a member of your organization");
  const token = randomToken();
  const invitation = {
    id: newId(),
    organizationId: ctx.auth.organizationId,
    userId: null,
    email,
    name: input.name,
    role: input.role,
    invitedBy: ctx.auth.userId,
    tokenHash: await sha256Hex(token),
    createdAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + INVITATION_TTL_MS),
  };
  // The invitation is recorded either way; it is emailed unless one went to the address in the
  // cool-down (from any organization): an admin cannot flood a mailbox through invitations.
  const cooling = sql`exists (select 1 from invitations where email = ${email} and created_at > ${ctx.now.getTime() - INVITATION_COOLDOWN_MS})`;
  const [recent] = await ctx.db.all<{ cooling: number }>(sql`select ${cooling} as cooling`);
  await ctx.db.batch([
    ctx.db.insert(invitations).values(invitation),
    auditInsert(ctx, { type: "user.invited", targetType: "invitation", targetId: invitation.id, data: { email, role: input.role } }),
  ]);
  if (!recent?.cooling) await sendInvitation(ctx, invitation, token, account ?? null);
  return { invitation: { id: invitation.id, email, name: input.name, role: input.role, expiresAt: invitation.expiresAt.toISOString() } };
}

async function sendInvitation(
  ctx: ServiceContext,
  invitation: { id: string; organizationId: string; email: string; name: string; role: Role; expiresAt: Date },
  token: string,
  account: { name: string; organizationId: string } | null,
) {
  const cfg = config(ctx.env);
  const [org] = await ctx.db
    .select({ name: organizations.name, emailSenderName: organizations.emailSenderName })
    .from(organizations)
    .where(eq(organizations.id, invitation.organizationId));
  const key = `invitation:${invitation.id}`;
  const content = account
    ? memberInvitationExistingAccountEmail({ name: account.name, organizationName: org?.name ?? "an organization" })
    : memberInvitationEmail({
        name: invitation.name,
        organizationName: org?.name ?? "an organization",
        role: invitation.role,
        url: `${cfg.appUrl}/invite?token=${encodeURIComponent(token)}`,
        expiresAt: invitation.expiresAt,
      });
  await sendEmail(ctx.env, {
    idempotencyKey: key,
    // The local outbox keeps a note to an existing account with that account's organization, not the inviter's.
    organizationId: account?.organizationId ?? invitation.organizationId,
    from: senderOf(cfg.delivery, org ?? null),
    to: invitation.email,
    ...content,
    tags: { notice: key, organization_id: invitation.organizationId },
  });
}
