import type { apiKeys } from "../../db/schema";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What a list shows of a key: never its secret or hash. */
export const toApiKeyDto = (k: typeof apiKeys.$inferSelect) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  /** The admin who created it; null once they left the organization (the key was kept). */
  createdBy: k.createdBy,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  expiresAt: iso(k.expiresAt),
  revokedAt: iso(k.revokedAt),
});
