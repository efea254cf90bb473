import type { Db } from "../db/client";
import type { FailureClass, organizations, RecipientType, reportDeliveries, reportExecutions } from "../db/schema";

export type ChannelType = RecipientType;

export type Delivery = typeof reportDeliveries.$inferSelect;
export type Execution = typeof reportExecutions.$inferSelect;
export type Organization = typeof organizations.$inferSelect;

/** Everything a channel needs to send one delivery; the consumer has already claimed the attempt. */
export type DeliveryInput = {
  env: Env;
  db: Db;
  now: Date;
  delivery: Delivery;
  execution: Execution & { fileKey: string };
  organization: Organization;
  report: { id: string; name: string };
  /** The signed download link for this delivery (stable across the attempts of one round). */
  link: { url: string; expiresAt: Date };
};

export type SendResult = { providerMessageId: string | null; detail?: string };

/** One module per channel, all behind this interface (see ./index.ts). */
export interface Channel {
  /** Sends once; throws DeliveryFailure (or anything else, which counts as an internal, retryable error). */
  send(input: DeliveryInput): Promise<SendResult>;
}

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
