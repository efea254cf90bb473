/**
 * Why an attempt failed. Retried: timeout, network, server_error, rate_limited, internal. Final:
 * the rest (a bounce or a suppressed address marks the delivery `bounced`, the others `failed`).
 */
export const FAILURE_CLASSES = [
  "timeout",
  "network",
  "server_error",
  "rate_limited",
  "internal",
  "bounced",
  "suppressed",
  "rejected",
  "redirect",
  "gone",
  "endpoint_disabled",
  "unsafe_url",
  "domain_not_allowed",
  "file_gone",
  "configuration",
  "dead_lettered",
  /** Not sent: the recipient was removed from the report (or the report deleted) before its turn. */
  "recipient_removed",
  /** Not sent: the organization's report emails for the (UTC) day were used up. */
  "quota_exceeded",
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];
