import { z } from "zod";
import { secretWeakness } from "./lib/secrets";
import { isLoopbackHost } from "./lib/url-safety";

/*
 * Every variable and secret, parsed once with zod. The code reads the typed result, never
 * `env.X` strings. A bad value fails at the first request or tick with a message that names the
 * variable, instead of turning into NaN somewhere downstream.
 */

/** Secrets (wrangler secret put / .dev.vars) are not in wrangler.toml, so `wrangler types` does not list them. */
type Secrets = {
  JWT_SECRET_PREVIOUS?: string;
  OPERATOR_TOKEN?: string;
  RESEND_API_KEY?: string;
  SENDGRID_API_KEY?: string;
  RESEND_WEBHOOK_SECRET?: string;
  SENDGRID_WEBHOOK_PUBLIC_KEY?: string;
  OPERATOR_ALERT_SLACK_URL?: string;
  OPERATOR_ALERT_WEBHOOK_URL?: string;
  OPERATOR_ALERT_WEBHOOK_SECRET?: string;
};

export const EMAIL_PROVIDERS = ["cloudflare", "resend", "sendgrid", "outbox"] as const;
export type EmailProviderName = (typeof EMAIL_PROVIDERS)[number];

/**
 * A secret we key things with: long enough, and strong enough by estimate (no known example, not one
 * character repeated, at least 128 bits; src/lib/secrets.ts). The message is prefixed with the
 * variable's name where the configuration error is built.
 */
const strongSecret = (tooShort: string) =>
  z
    .string()
    .min(32, tooShort)
    .superRefine((s, ctx) => {
      const weakness = secretWeakness(s);
      if (weakness) ctx.addIssue({ code: "custom", message: weakness });
    });

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** Bytes can exceed 2^31 (10 GiB); still whole and positive. */
const bytes = (fallback: number) => z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(fallback);
const ratio = (fallback: number) => z.coerce.number().min(0).max(1).default(fallback);
const optionalText = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v) => v || fallback);
const flag = z
  .enum(["true", "false", ""])
  .optional()
  .transform((v) => v === "true");

/** Where `npm start` serves the app; APP_URL defaults to it only in local development. */
const LOCAL_APP_URL = "http://127.0.0.1:8787";

const schema = z.object({
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_SECRET: z.string({ error: "is not set (wrangler secret put JWT_SECRET, or .dev.vars locally)" }).pipe(strongSecret("must be at least 32 characters")),
  /**
   * The JWT_SECRET before the last replacement, while values sealed under it (webhook signing
   * secrets, Slack tokens, alert Slack URLs) move to the new one and links signed under it expire.
   * Unset: only the current secret opens anything.
   */
  JWT_SECRET_PREVIOUS: strongSecret("must be at least 32 characters (or unset)").optional(),
  /**
   * The root of the download-link key, rotatable on its own (rotating it voids every link issued
   * before, and nothing else). Unset: links use a key derived from JWT_SECRET under their own label.
   */
  FILE_LINK_SECRET: strongSecret("must be at least 32 characters (or unset, which derives link keys from JWT_SECRET)").optional(),
  JWT_ISSUER: optionalText("scheduled-reports"),
  JWT_AUDIENCE: optionalText("scheduled-reports-api"),
  SESSION_TTL_SECONDS: count(43_200),
  SIGNUP: z
    .string()
    .optional()
    .transform((v) => (v || "open").toLowerCase())
    .pipe(z.enum(["open", "closed"])),
  OPERATOR_TOKEN: strongSecret("must be at least 32 characters (or unset, which turns the operator API off)").optional(),
  LOCAL_DEV: flag,
  /** Local benchmarks only: count the bindings' billable operations (src/lib/instrument/). */
  BENCH_COUNTERS: flag,
  SCHEDULER_GRACE_SECONDS: z.coerce.number().int().min(0).default(300),
  CATCH_UP_MAX_RUNS: count(24),
  WORKING_TIMEOUT_MINUTES: count(15),
  PDF_ROW_LIMIT: count(2_000),
  ROW_RETENTION_DAYS: count(400),
  DELIVERY_ATTEMPT_RETENTION_DAYS: count(30),
  AUDIT_RETENTION_DAYS: count(365),
  ALERT_FAILURE_RATE: ratio(0.1),
  ALERT_BACKLOG: count(500),
  ALERT_P95_MS: count(300_000),
  ALERT_STORAGE_RATIO: ratio(0.8),
  ALERT_BOUNCE_RATE: ratio(0.05),
  HEARTBEAT_SILENCE_SECONDS: count(180),
  OPERATOR_EMAIL: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.email())),
  /** The operator's other alert routes (system-wide alerts): a Slack incoming webhook and a signed webhook. */
  OPERATOR_ALERT_SLACK_URL: z.url({ protocol: /^https?$/ }).optional(),
  OPERATOR_ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  OPERATOR_ALERT_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, "must be a Standard Webhooks secret: whsec_ and base64 of at least 24 random bytes")
    .superRefine((s, ctx) => {
      const weakness = secretWeakness(s.slice("whsec_".length));
      if (weakness) ctx.addIssue({ code: "custom", message: weakness.replace("openssl rand -base64 48", "whsec_ and openssl rand -base64 32") });
    })
    .optional(),
  EMAIL_PROVIDER: z
    .string()
    .optional()
    .transform((v) => (v || "cloudflare").toLowerCase())
    .pipe(z.enum(EMAIL_PROVIDERS)),
  EMAIL_FROM: z.email().default("reports@example.com"),
  EMAIL_FROM_NAME: optionalText("Scheduled Reports"),
  EMAIL_ATTACHMENT_LIMIT_BYTES: count(10 * 1024 * 1024),
  RESEND_API_URL: z.url().default("https://api.resend.com"),
  SENDGRID_API_URL: z.url().default("https://api.sendgrid.com"),
  RESEND_API_KEY: optionalText(""),
  SENDGRID_API_KEY: optionalText(""),
  RESEND_WEBHOOK_SECRET: optionalText(""),
  SENDGRID_WEBHOOK_PUBLIC_KEY: optionalText(""),
  SLACK_API_URL: z.url().default("https://slack.com/api"),
  WEBHOOK_TIMEOUT_SECONDS: count(15),
  WEBHOOK_SECRET_GRACE_HOURS: count(24),
  OUTBOUND_DNS_URL: z.url().default("https://cloudflare-dns.com/dns-query"),
  // Per-organization quotas; the operator may override each for one organization.
  QUOTA_ACTIVE_REPORTS: count(1_000),
  QUOTA_REPORTS: count(5_000),
  QUOTA_API_KEYS: count(50),
  QUOTA_RECIPIENTS_PER_REPORT: count(50),
  QUOTA_MIN_INTERVAL_MINUTES: count(5),
  QUOTA_STORAGE_BYTES: bytes(10 * 1024 ** 3),
  QUOTA_EMAILS_PER_DAY: count(5_000),
  QUOTA_RETENTION_DAYS: count(400),
  QUOTA_CONCURRENT_RUNS: count(5),
});

/** Empty strings in wrangler.toml mean "not set": the default applies. */
function raw(env: Env & Secrets) {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = (env as unknown as Record<string, unknown>)[key];
    values[key] = value === "" && key !== "LOCAL_DEV" && key !== "OPERATOR_EMAIL" ? undefined : value;
  }
  return values;
}

/**
 * The dashboard's public address: the links in emails (download links, password resets, notices)
 * and the CSRF origin check use it. Outside local development it must be set, to somewhere other
 * than this machine: a deployment that kept the local value would send links nobody can open.
 */
function appUrlOf(value: string | undefined, localDev: boolean): string {
  if (localDev) return (value ?? LOCAL_APP_URL).replace(/\/+$/, "");
  const fix = "set it to the dashboard's public https address (wrangler.toml [vars] or `wrangler deploy --var APP_URL:https://…`)";
  if (!value) throw new ConfigError(`Configuration is not valid: APP_URL is not set; ${fix}`);
  const host = new URL(value).hostname;
  if (isLoopbackHost(host) || host.endsWith(".localhost") || host === "0.0.0.0" || host === "[::]") {
    throw new ConfigError(`Configuration is not valid: APP_URL points at ${host}, this machine, outside local development (LOCAL_DEV is not "true"); ${fix}`);
  }
  return value.replace(/\/+$/, "");
}

function build(env: Env) {
  const parsed = schema.safeParse(raw(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
    throw new ConfigError(`Configuration is not valid: ${problems}`);
  }
  const v = parsed.data;
  if (v.OPERATOR_ALERT_WEBHOOK_URL && !v.OPERATOR_ALERT_WEBHOOK_SECRET) {
    throw new ConfigError(
      "Configuration is not valid: OPERATOR_ALERT_WEBHOOK_SECRET must be set when OPERATOR_ALERT_WEBHOOK_URL is (the alerts are signed with it)",
    );
  }
  if (v.BENCH_COUNTERS && !v.LOCAL_DEV) {
    throw new ConfigError("Configuration is not valid: BENCH_COUNTERS is for local benchmarks only and needs LOCAL_DEV=true");
  }
  return {
    appUrl: appUrlOf(v.APP_URL, v.LOCAL_DEV),
    localDev: v.LOCAL_DEV,
    /** Counting proxies around the bindings (local benchmarks; only with localDev). */
    benchCounters: v.BENCH_COUNTERS,
    fileLinkSecret: v.FILE_LINK_SECRET ?? v.JWT_SECRET,
    /** Links signed under the previous JWT_SECRET still open until they expire (not with FILE_LINK_SECRET, which rotates on its own). */
    fileLinkPreviousSecret: v.FILE_LINK_SECRET ? null : (v.JWT_SECRET_PREVIOUS ?? null),
    /** What sealed values (src/lib/sealed.ts) are sealed under, and opened under while they move to it. */
    rootSecrets: { current: v.JWT_SECRET, previous: v.JWT_SECRET_PREVIOUS ?? null },
    auth: { jwtSecret: v.JWT_SECRET, issuer: v.JWT_ISSUER, audience: v.JWT_AUDIENCE, sessionTtlSeconds: v.SESSION_TTL_SECONDS },
    /** "open": anyone may sign up (a public service); "closed": the operator provisions organizations. */
    signup: v.SIGNUP,
    /** The operator API's bearer token; unset, the operator API answers 401 to everyone. */
    operatorToken: v.OPERATOR_TOKEN ?? null,
    scheduler: {
      graceMs: v.SCHEDULER_GRACE_SECONDS * 1000,
      catchUpMaxRuns: v.CATCH_UP_MAX_RUNS,
      workingTimeoutMinutes: v.WORKING_TIMEOUT_MINUTES,
    },
    pdfRowLimit: v.PDF_ROW_LIMIT,
    rowRetentionDays: v.ROW_RETENTION_DAYS,
    /** Each delivery attempt's row; the delivery keeps its final status and last error. */
    deliveryAttemptRetentionDays: v.DELIVERY_ATTEMPT_RETENTION_DAYS,
    /** Audit events stay in D1 this long, then move to R2 as NDJSON (src/jobs/retention/archive-audit.ts). */
    auditRetentionDays: v.AUDIT_RETENTION_DAYS,
    alerts: {
      failureRate: v.ALERT_FAILURE_RATE,
      backlog: v.ALERT_BACKLOG,
      p95Ms: v.ALERT_P95_MS,
      storageRatio: v.ALERT_STORAGE_RATIO,
      bounceRate: v.ALERT_BOUNCE_RATE,
      heartbeatSilenceMs: v.HEARTBEAT_SILENCE_SECONDS * 1000,
      operatorEmails: v.OPERATOR_EMAIL,
      /** Where system-wide alerts go besides OPERATOR_EMAIL. */
      operatorSlackUrl: v.OPERATOR_ALERT_SLACK_URL ?? null,
      operatorWebhook:
        v.OPERATOR_ALERT_WEBHOOK_URL && v.OPERATOR_ALERT_WEBHOOK_SECRET ? { url: v.OPERATOR_ALERT_WEBHOOK_URL, secret: v.OPERATOR_ALERT_WEBHOOK_SECRET } : null,
    },
    /** Each organization's limits unless the operator overrode one (src/domain/quotas.ts). */
    quotas: {
      activeReports: v.QUOTA_ACTIVE_REPORTS,
      reports: v.QUOTA_REPORTS,
      apiKeys: v.QUOTA_API_KEYS,
      recipientsPerReport: v.QUOTA_RECIPIENTS_PER_REPORT,
      minIntervalMinutes: v.QUOTA_MIN_INTERVAL_MINUTES,
      storageBytes: v.QUOTA_STORAGE_BYTES,
      emailsPerDay: v.QUOTA_EMAILS_PER_DAY,
      retentionDays: v.QUOTA_RETENTION_DAYS,
      concurrentRuns: v.QUOTA_CONCURRENT_RUNS,
    },
    delivery: {
      localDev: v.LOCAL_DEV,
      emailProvider: v.EMAIL_PROVIDER,
      emailFrom: v.EMAIL_FROM,
      emailFromName: v.EMAIL_FROM_NAME,
      attachmentLimitBytes: v.EMAIL_ATTACHMENT_LIMIT_BYTES,
      resend: { url: v.RESEND_API_URL, apiKey: v.RESEND_API_KEY, webhookSecret: v.RESEND_WEBHOOK_SECRET },
      sendgrid: { url: v.SENDGRID_API_URL, apiKey: v.SENDGRID_API_KEY, webhookPublicKey: v.SENDGRID_WEBHOOK_PUBLIC_KEY },
      slack: { apiUrl: v.SLACK_API_URL.replace(/\/+$/, "") },
      webhookTimeoutMs: v.WEBHOOK_TIMEOUT_SECONDS * 1000,
      webhookSecretGraceMs: v.WEBHOOK_SECRET_GRACE_HOURS * 3600_000,
      dnsUrl: v.OUTBOUND_DNS_URL,
    },
  };
}

export type Config = ReturnType<typeof build>;
export type DeliveryConfig = Config["delivery"];
export type Quotas = Config["quotas"];

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parsed once per env object (a Worker isolate keeps one; tests that override a variable pass a new one). */
const cache = new WeakMap<object, Config>();

export function config(env: Env): Config {
  let parsed = cache.get(env);
  if (!parsed) {
    parsed = build(env);
    cache.set(env, parsed);
  }
  return parsed;
}
