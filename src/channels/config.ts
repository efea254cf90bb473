import { isLocalDev } from "../env";

/** Secrets (wrangler secret put / .dev.vars): not in wrangler.toml, so `wrangler types` does not know them. */
type DeliverySecrets = {
  RESEND_API_KEY?: string;
  SENDGRID_API_KEY?: string;
  RESEND_WEBHOOK_SECRET?: string;
  SENDGRID_WEBHOOK_PUBLIC_KEY?: string;
};

export const EMAIL_PROVIDERS = ["resend", "sendgrid", "outbox"] as const;
export type EmailProviderName = (typeof EMAIL_PROVIDERS)[number];

const int = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** The delivery settings, read once per use with the defaults the documentation promises. */
export function deliveryConfig(env: Env) {
  const secrets = env as Env & DeliverySecrets;
  return {
    localDev: isLocalDev(env),
    emailProvider: (env.EMAIL_PROVIDER || "resend").toLowerCase(),
    emailFrom: env.EMAIL_FROM || "reports@example.com",
    emailFromName: env.EMAIL_FROM_NAME || "Scheduled Reports",
    attachmentLimitBytes: int(env.EMAIL_ATTACHMENT_LIMIT_BYTES, 10 * 1024 * 1024),
    resend: { url: env.RESEND_API_URL || "https://api.resend.com", apiKey: secrets.RESEND_API_KEY ?? "", webhookSecret: secrets.RESEND_WEBHOOK_SECRET ?? "" },
    sendgrid: { url: env.SENDGRID_API_URL || "https://api.sendgrid.com", apiKey: secrets.SENDGRID_API_KEY ?? "", webhookPublicKey: secrets.SENDGRID_WEBHOOK_PUBLIC_KEY ?? "" },
    webhookTimeoutMs: int(env.WEBHOOK_TIMEOUT_SECONDS, 15) * 1000,
    webhookSecretGraceMs: int(env.WEBHOOK_SECRET_GRACE_HOURS, 24) * 3600_000,
    dnsUrl: env.OUTBOUND_DNS_URL ?? "https://cloudflare-dns.com/dns-query",
  };
}

export type DeliveryConfig = ReturnType<typeof deliveryConfig>;
