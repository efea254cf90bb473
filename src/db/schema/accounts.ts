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
    /**
     * When the person proved they read this address: by confirming their sign-up, accepting an
     * invitation or using a password-reset link, each sent to it. Null: never proven.
     */
    emailVerifiedAt: instant("email_verified_at"),
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
 * and their first admin without one: `userId` set), or an admin's invitation of a new member
 * (`userId` null; `email`, `name` and `role` say whom: the account is created when it is accepted,
 * so that inviting an address that has an account elsewhere looks the same). Only the token's
 * SHA-256 is stored.
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    email: text("email"),
    name: text("name"),
    role: text("role", { enum: ROLES }),
    invitedBy: text("invited_by"),
    tokenHash: text("token_hash").notNull(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    acceptedAt: instant("accepted_at"),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_unique").on(t.tokenHash),
    index("invitations_user_idx").on(t.userId),
    index("invitations_org_email_idx").on(t.organizationId, t.email),
  ],
);

/**
 * A sign-up waiting for its address to be confirmed: the organization and its admin are created
 * from it when the link emailed to the address is used (once, before it expires). Sign-up answers
 * the same whether or not the address has an account; only the mailbox's owner learns which.
 */
export const signupRequests = sqliteTable(
  "signup_requests",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    organizationName: text("organization_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
  },
  (t) => [uniqueIndex("signup_requests_token_hash_unique").on(t.tokenHash), index("signup_requests_email_idx").on(t.email, t.createdAt)],
);

/**
 * Test sends, per recipient address (its SHA-256, across organizations): an address gets at most
 * a few test messages an hour, whoever sends them. Pruned by retention after a day.
 */
export const testSends = sqliteTable(
  "test_sends",
  {
    id: id(),
    addressHash: text("address_hash").notNull(),
    organizationId: text("organization_id").notNull(),
    sentAt: instant("sent_at").notNull(),
  },
  (t) => [index("test_sends_address_idx").on(t.addressHash, t.sentAt)],
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
