import { and, eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole, requireUser } from "../../domain/policy";
import { ConflictError } from "../../errors";
import { revokeKeysCreatedBy } from "../api-keys/revoke-created-by";
import type { ServiceContext } from "../context";
import { countAdmins, findUser } from "./find";

/** What happens to the API keys the removed person created: revoked (the default), or kept. */
export type RemoveUserInput = { apiKeys?: "revoke" | "keep" };

/**
 * Their sessions go with them (foreign key cascade); their reports stay, managed by admins. The API
 * keys they created are revoked with them unless the admin keeps them (kept keys no longer name a
 * creator): a departed admin's key would otherwise go on reading the webhook signing secret.
 */
export async function removeUser({ ctx, id, input = {} }: { ctx: ServiceContext; id: string; input?: RemoveUserInput }) {
  requireRole(ctx.auth, "admin");
  requireUser(ctx.auth);
  const user = await findUser(ctx, id);
  if (user.id === ctx.auth.userId) throw new ConflictError("You cannot delete your own account");
  if (user.role === "admin" && (await countAdmins(ctx)) <= 1) throw new ConflictError("An organization needs at least one admin");
  const apiKeys = input.apiKeys ?? "revoke";
  const keys = apiKeys === "revoke" ? await revokeKeysCreatedBy(ctx, id, { reason: "creator_removed" }) : { count: 0, writes: [] };
  await ctx.db.batch([
    ctx.db.delete(users).where(and(eq(users.id, id), eq(users.organizationId, ctx.auth.organizationId))),
    auditInsert(ctx, { type: "user.deleted", targetType: "user", targetId: id, data: { email: user.email, apiKeys, apiKeysRevoked: keys.count } }),
    ...keys.writes,
  ]);
}
