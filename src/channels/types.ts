import type { DeliveryConfig } from "../config";
import type { FailureClass, RecipientType } from "../db/schema";

export type ChannelType = RecipientType;

/** A report file as a channel sees it: what to say about it, its link, and read access to its bytes. */
export type ChannelFile = {
  executionId: string;
  format: string;
  fileName: string;
  size: number | null;
  rowCount: number | null;
  generatedAt: Date;
  /** Shown with the file (for example, that a PDF was cut at the row limit). */
  note: string | null;
  /** The signed download link (the same across the attempts of one round). */
  link: { url: string; expiresAt: Date };
  /** The file's bytes, or null when it is no longer kept. */
  read(): Promise<{ content: Uint8Array; contentType: string | null } | null>;
  exists(): Promise<boolean>;
};

/**
 * One message to one recipient. The delivery stage builds it (after its own checks: suppression,
 * disabled endpoints, allowed domains, attempt bookkeeping); so does "send a test".
 */
export type ChannelMessage = {
  /** Stable across attempts: the provider's idempotency key and the webhook-id. */
  id: string;
  recipient: string;
  organization: { id: string; emailSenderName: string | null };
  report: { id: string; name: string };
  /** The run: the time it was scheduled for and the parameters it used (the webhook payload carries both). */
  run: { scheduledFor: Date; parameters: Record<string, unknown> };
  file: ChannelFile;
  /** The webhook signing secrets in force: the current one, and the previous one during its grace period. */
  signingSecrets(): Promise<string[]>;
  /** The organization's connected Slack app (its bot token unsealed), or null when none is connected. */
  slackApp(): Promise<SlackApp | null>;
};

export type SlackApp = { token: string; team: string; botUser: string | null };

export type ChannelContext = { env: Env; config: DeliveryConfig; now: Date };

export type SendResult = { providerMessageId: string | null; detail?: string };

/** One module per channel, all behind this interface (see ./index.ts). */
export interface Channel {
  /** Sends once; throws DeliveryFailure (anything else counts as an internal, retryable error). */
  send(message: ChannelMessage, ctx: ChannelContext): Promise<SendResult>;
}

/** What came of one send: sent, or a classified failure. */
export type ChannelOutcome = ({ ok: true } & SendResult) | { ok: false; failure: DeliveryFailure };

/** Failures worth another attempt; everything else is final. */
export const RETRYABLE: ReadonlySet<FailureClass> = new Set<FailureClass>(["timeout", "network", "server_error", "rate_limited", "internal"]);

/** A classified failure: the class decides retry or not, `retryAfterSeconds` is the far side's wish. */
export class DeliveryFailure extends Error {
  override name = "DeliveryFailure";
  constructor(
    readonly failureClass: FailureClass,
    message: string,
    readonly extra: { httpStatus?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
  get retryable() {
    return RETRYABLE.has(this.failureClass);
  }
}

/** Anything a channel throws, as a DeliveryFailure (unknown errors are ours and retried). */
export function asDeliveryFailure(err: unknown): DeliveryFailure {
  if (err instanceof DeliveryFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DeliveryFailure("internal", `Internal error: ${message}`.slice(0, 1000));
}
