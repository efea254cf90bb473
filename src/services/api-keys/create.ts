import type { Role } from "../../db/schema";
import { apiKeys } from "../../db/schema";
import { newApiKeySecret } from "../../domain/api-keys";
import { auditInsert } from "../../domain/audit";
import { requireRole, requireUser } from "../../domain/policy";
import { quotasOf, refuseOverQuota } from "../../domain/quotas";
import { ValidationError } from "../../errors";
import { newId } from "../../lib/ids";
import type { ServiceContext } from "../context";
import { toApiKeyDto } from "./dto";
import { liveApiKeyCount } from "./live-count";

export type CreateApiKeyInput = { name: string; role: Role; expiresAt?: string | null };

/**
 * An admin creates a key for the organization; its secret is returned this once and never again.
 * Held to the live-keys quota (checked before the write, like the report quotas).
 */
export async function createApiKey({ ctx, input }: { ctx: ServiceContext; input: CreateApiKeyInput }) {
  requireRole(ctx.auth, "admin");
  const { userId } = requireUser(ctx.auth);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= ctx.now) throw new ValidationError("The expiry must be in the future", [{ path: "expiresAt", message: "Give a future time" }]);
  const limit = (await quotasOf(ctx.db, ctx.env, ctx.auth.organizationId)).quotas.apiKeys;
  const live = await liveApiKeyCount(ctx);
  if (live >= limit) {
    await refuseOverQuota(
      ctx,
      "apiKeys",
      limit,
      `The organization may have at most ${limit.toLocaleString("en-US")} live API keys (it has ${live.toLocaleString("en-US")}); revoke one first`,
    );
  }
  const { secret, prefix, secretHash } = await newApiKeySecret();
  const row = {
    id: newId(),
    organizationId: ctx.auth.organizationId,
    name: input.name,
    role: input.role,
    prefix,
    secretHash,
    createdBy: userId,
    createdAt: ctx.now,
    lastUsedAt: null,
    expiresAt,
    revokedAt: null,
  };
  await ctx.db.batch([
    ctx.db.insert(apiKeys).values(row),
    auditInsert(ctx, { type: "api_key.created", targetType: "api_key", targetId: row.id, data: { name: row.name, role: row.role, prefix } }),
  ]);
  return { apiKey: toApiKeyDto(row), secret };
}
