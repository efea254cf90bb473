import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id, instant, timestamps } from "./columns";

export const ROLES = ["admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const organizations = sqliteTable(
  "organizations",
  {
    id: id(),
    name: text("name").notNull(),
    /**
     * Which rows of the report data sources are this organization's: bound as :tenant in every report
     * query. Null means the organization's own id. Set by the operator (operator API).
     */
    dataTenantKey: text("data_tenant_key"),
    retentionDays: integer("retention_days").notNull().default(90),
    emailSenderName: text("email_sender_name"),
    /** JSON array of domains; empty means any domain may receive email. */
    allowedEmailDomains: text("allowed_email_domains", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** JSON object: { logoUrl?, primaryColor?, paperSize? } used by the PDF renderer. */
    pdfBranding: text("pdf_branding", { mode: "json" }).$type<PdfBranding>().notNull().default({}),
    /**
     * No longer read: the storage quota is QUOTA_STORAGE_BYTES or the operator's override in
     * organization_quotas (migration 0015 copied values other than the default there). Kept so that
     * code still running from before that migration finds the column during a deploy.
     */
    storageQuotaBytes: integer("storage_quota_bytes")
      .notNull()
      .default(10 * 1024 ** 3),
    /** Report type ids this organization's admins turned off. */
    disabledReportTypes: text("disabled_report_types", { mode: "json" }).$type<string[]>().notNull().default([]),
    ...timestamps,
  },
  // Two organizations never read the same tenant's data by accident.
  (t) => [uniqueIndex("organizations_data_tenant_key_unique").on(t.dataTenantKey)],
);

export type PdfBranding = { logoUrl?: string; primaryColor?: string; paperSize?: "A4" | "Letter" };

export const users = sqliteTable(
  "users",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    passwordHash: text("password_hash").notNull(),
    ...timestamps,
  },
  (t) => [
    // Sign-in is by email alone, so an address belongs to one account across organizations.
    uniqueIndex("users_email_unique").on(t.email),
    index("users_org_created_idx").on(t.organizationId, t.createdAt, t.id),
  ],
);

/** One row per issued token (`jti`): logout and user removal revoke it before it expires. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    revokedAt: instant("revoked_at"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * A one-time link that lets a provisioned user set a password (the operator creates organizations
 * and their first admin without one). Only the token's SHA-256 is stored.
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    acceptedAt: instant("accepted_at"),
  },
  (t) => [uniqueIndex("invitations_token_hash_unique").on(t.tokenHash), index("invitations_user_idx").on(t.userId)],
);

/**
 * A one-time link to set a new password, sent by email on request. Only the token's SHA-256 is
 * stored. A newer request supersedes the older links of the user; using one claims it with a
 * nonce of its own (`claim`), so that two submissions of one link set one password.
 */
export const passwordResets = sqliteTable(
  "password_resets",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
    supersededAt: instant("superseded_at"),
    claim: text("claim"),
  },
  (t) => [uniqueIndex("password_resets_token_hash_unique").on(t.tokenHash), index("password_resets_user_idx").on(t.userId)],
);
