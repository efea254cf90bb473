import { and, eq, isNull } from "drizzle-orm";
import { type Role, sessions, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole, requireUser } from "../../domain/policy";
import { ConflictError } from "../../errors";
import { hashPassword } from "../../lib/password";
import { revokeKeysCreatedBy } from "../api-keys/revoke-created-by";
import { toUserDto } from "../auth/dto";
import type { ServiceContext } from "../context";
import { countAdmins, findUser } from "./find";

export type UpdateUserInput = { name?: string; role?: Role; password?: string };

export async function updateUser({ ctx, id, input }: { ctx: ServiceContext; id: string; input: UpdateUserInput }) {
  requireRole(ctx.auth, "admin");
  requireUser(ctx.auth);
  const user = await findUser(ctx, id);
  if (user.role === "admin" && input.role && input.role !== "admin" && (await countAdmins(ctx)) <= 1) {
    throw new ConflictError("An organization needs at least one admin");
  }
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.password !== undefined ? { passwordHash: await hashPassword(input.password) } : {}),
    updatedAt: ctx.now,
  };
  const scoped = and(eq(users.id, id), eq(users.organizationId, ctx.auth.organizationId));
  // Demoted: the keys they made above their new role are revoked with the change.
  const keys = input.role !== undefined ? await revokeKeysCreatedBy(ctx, id, { reason: "creator_demoted", role: input.role }) : { count: 0, writes: [] };
  const writes = [
    ctx.db.update(users).set(changes).where(scoped),
    auditInsert(ctx, {
      type: "user.updated",
      targetType: "user",
      targetId: id,
      data: {
        fields: Object.keys(input).filter((k) => k !== "password"),
        passwordChanged: input.password !== undefined,
        ...(input.role !== undefined && input.role !== user.role ? { role: { from: user.role, to: input.role } } : {}),
        ...(input.name !== undefined && input.name !== user.name ? { name: { from: user.name, to: input.name } } : {}),
      },
    }),
    ...keys.writes,
  ] as const;
  // A new password ends every session the old one opened.
  if (input.password !== undefined) {
    await ctx.db.batch([
      ...writes,
      ctx.db
        .update(sessions)
        .set({ revokedAt: ctx.now })
        .where(and(eq(sessions.userId, id), isNull(sessions.revokedAt))),
    ]);
  } else {
    await ctx.db.batch(writes);
  }
  return toUserDto({ ...user, ...changes });
}
