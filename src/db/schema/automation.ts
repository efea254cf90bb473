import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organizations, ROLES, users } from "./accounts";
import { id, instant } from "./columns";

/**
 * A key a program uses instead of a person's session: `Authorization: Bearer srk_<prefix>_<secret>`.
 * Only the SHA-256 of the whole key is stored; the prefix is kept in clear so people recognise it.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: instant("created_at").notNull(),
    lastUsedAt: instant("last_used_at"),
    expiresAt: instant("expires_at"),
    revokedAt: instant("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_unique").on(t.secretHash), index("api_keys_org_created_idx").on(t.organizationId, t.createdAt, t.id)],
);

/**
 * The first response to a POST sent with an `Idempotency-Key`, replayed to the same caller with the
 * same key and body for 24 hours. `status = 'in_progress'` while the first request runs (it holds the
 * key). Keys are the caller's own: one organization and one actor (a user or an API key).
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The user or API key that sent it ('' for rows from before keys were per caller: nobody's). */
    actorId: text("actor_id").notNull().default(""),
    key: text("key").notNull(),
    /** SHA-256 of method, path and body: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    status: text("status", { enum: ["in_progress", "done"] }).notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    createdAt: instant("created_at").notNull(),
    /** Until when an unfinished request holds the key (a crashed request frees it then). */
    lockedUntil: instant("locked_until").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.actorId, t.key] }), index("idempotency_keys_expires_idx").on(t.expiresAt)],
);
