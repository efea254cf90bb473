import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organizations } from "./accounts";
import { id, instant, timestamps } from "./columns";
import { FAILURE_CLASSES } from "./failure-classes";
import { reportDeliveries } from "./reports";

/*
 * What delivery needs beyond report_deliveries: every attempt (so that each one is visible), the
 * organization's webhook signing secrets, the addresses and endpoints it must no longer send to,
 * the notices to people (with a unique key, so a redelivered message never sends one twice) and the
 * local-development outbox.
 */

export const ATTEMPT_OUTCOMES = ["sent", "retry", "failed", "bounced"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

const orgId = () =>
  text("organization_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });

/** One row per claimed attempt; `outcome` stays null while the attempt is in flight. */
export const deliveryAttempts = sqliteTable(
  "delivery_attempts",
  {
    id: id(),
    organizationId: orgId(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => reportDeliveries.id, { onDelete: "cascade" }),
    /** report_deliveries.attempts after the claim (1 for the first attempt of a round). */
    attempt: integer("attempt").notNull(),
    startedAt: instant("started_at").notNull(),
    finishedAt: instant("finished_at"),
    outcome: text("outcome", { enum: ATTEMPT_OUTCOMES }),
    failureClass: text("failure_class", { enum: FAILURE_CLASSES }),
    httpStatus: integer("http_status"),
    error: text("error"),
    providerMessageId: text("provider_message_id"),
    /** When the retry is due, for outcome `retry`. */
    retryAt: instant("retry_at"),
    /**
     * Expiry of the download link this attempt sent. Later attempts of the same round reuse the
     * first one's, so a retried request is byte-for-byte the same (idempotency keys compare bodies).
     */
    linkExpiresAt: instant("link_expires_at").notNull(),
  },
  (t) => [
    index("delivery_attempts_delivery_idx").on(t.deliveryId, t.startedAt),
    // Retention's scan for attempts past DELIVERY_ATTEMPT_RETENTION_DAYS.
    index("delivery_attempts_started_idx").on(t.startedAt),
  ],
);

/** The organization's Standard Webhooks signing secret; after a rotation the old one signs too until it expires. */
export const webhookSecrets = sqliteTable("webhook_secrets", {
  organizationId: text("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
  previousSecret: text("previous_secret"),
  previousExpiresAt: instant("previous_expires_at"),
  rotatedAt: instant("rotated_at"),
  ...timestamps,
});

/** Addresses that bounced (or complained): later deliveries to them are not attempted. */
export const emailSuppressions = sqliteTable(
  "email_suppressions",
  {
    id: id(),
    organizationId: orgId(),
    email: text("email").notNull(),
    source: text("source", { enum: ["bounce", "complaint"] }).notNull(),
    provider: text("provider").notNull(),
    reason: text("reason").notNull(),
    deliveryId: text("delivery_id"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [uniqueIndex("email_suppressions_org_email_unique").on(t.organizationId, t.email)],
);

/** Webhook URLs that answered 410 Gone: the organization's later deliveries to them are not attempted. */
export const disabledWebhookEndpoints = sqliteTable(
  "disabled_webhook_endpoints",
  {
    id: id(),
    organizationId: orgId(),
    url: text("url").notNull(),
    reason: text("reason").notNull(),
    deliveryId: text("delivery_id"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [uniqueIndex("disabled_webhook_endpoints_org_url_unique").on(t.organizationId, t.url)],
);

export const NOTICE_KINDS = ["execution_failed", "delivery_failed", "alert"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_STATUSES = ["pending", "sent", "failed", "skipped"] as const;
export const NOTICE_CHANNELS = ["email", "slack", "webhook"] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/**
 * Emails about failures and alerts (to a report's creator, an organization's admins, or the
 * operator). `key` names the occurrence and its recipient, so however often its message is
 * delivered a notice goes out once.
 */
export const notices = sqliteTable(
  "notices",
  {
    id: id(),
    // No foreign key: system-wide alerts are scoped to "*", which is no organization.
    organizationId: text("organization_id").notNull(),
    key: text("key").notNull(),
    kind: text("kind", { enum: NOTICE_KINDS }).notNull(),
    executionId: text("execution_id"),
    deliveryId: text("delivery_id"),
    alertId: text("alert_id"),
    recipient: text("recipient"),
    /** How it goes: email (recipient is the address), or an alert route's Slack or webhook URL (recipient names the route). */
    channel: text("channel", { enum: NOTICE_CHANNELS }).notNull().default("email"),
    status: text("status", { enum: NOTICE_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    sentAt: instant("sent_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("notices_key_unique").on(t.key),
    index("notices_org_created_idx").on(t.organizationId, t.createdAt),
    index("notices_provider_message_idx").on(t.providerMessageId),
  ],
);

/**
 * Local development only: the emails the outbox "provider" kept instead of sending, readable in the
 * dashboard. The attachment itself is copied to R2 under `attachment_key`.
 */
export const outboxMessages = sqliteTable(
  "outbox_messages",
  {
    id: id(),
    // No foreign key: the operator's system-wide alert notices are kept under "*".
    organizationId: text("organization_id").notNull(),
    /** The delivery id or notice key: the same message stored twice is stored once. */
    idempotencyKey: text("idempotency_key").notNull(),
    fromAddress: text("from_address").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    attachmentName: text("attachment_name"),
    attachmentType: text("attachment_type"),
    attachmentSize: integer("attachment_size"),
    attachmentKey: text("attachment_key"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("outbox_messages_idempotency_unique").on(t.idempotencyKey),
    index("outbox_messages_org_created_idx").on(t.organizationId, t.createdAt, t.id),
  ],
);
