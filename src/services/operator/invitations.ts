import { invitations } from "../../db/schema";
import { newId } from "../../lib/ids";
import { randomToken, sha256Hex } from "../../lib/secrets";
import type { OperatorContext } from "./context";

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

/** A one-time invitation for a user to set a password: the insert (to batch) and the link to send. */
export async function prepareInvitation(ctx: OperatorContext, appUrl: string, user: { id: string; organizationId: string }) {
  const token = randomToken();
  const expiresAt = new Date(ctx.now.getTime() + INVITATION_TTL_MS);
  const insert = ctx.db.insert(invitations).values({
    id: newId(),
    organizationId: user.organizationId,
    userId: user.id,
    tokenHash: await sha256Hex(token),
    createdAt: ctx.now,
    expiresAt,
  });
  return { insert, inviteUrl: `${appUrl}/invite?token=${encodeURIComponent(token)}`, expiresAt };
}
