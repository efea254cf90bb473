/*
 * Rules about recipients that both paths apply: when a report is saved (a validation error) and
 * again when a delivery is sent (the organization's settings may have changed since).
 */

/** The email's domain, if the organization restricts recipients to allowed domains and this one is not among them. */
export function disallowedEmailDomain(org: { allowedEmailDomains: string[] }, email: string): { domain: string; allowed: string[] } | null {
  const allowed = org.allowedEmailDomains.map((d) => d.toLowerCase());
  const domain = (email.split("@").pop() ?? "").toLowerCase();
  return allowed.length && !allowed.includes(domain) ? { domain, allowed } : null;
}

/**
 * Incoming-webhook URLs of Slack and Teams workflow URLs are credentials: whoever has one can post to
 * the channel. Viewers and the audit log see them masked (the host and the start of the path, the rest
 * as ••••); a Slack channel name, an email address and a customer's webhook URL are shown as they are.
 */
export function maskRecipientValue(r: { type: string; value: string }): string {
  if (r.type !== "slack" && r.type !== "teams") return r.value;
  return maskUrl(r.value);
}

/** A URL that carries a credential, as it may be shown: its origin and first path segment, the rest as ••••. Not a URL: as it is. */
export function maskUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value; // a Slack channel (#reports or an id), not a URL
  }
  const first = url.pathname.split("/").filter(Boolean)[0];
  return `${url.origin}/${first ? `${first}/` : ""}••••`;
}

/** A recipient's value as a role may see it: editors and admins (who edit it) in full, viewers masked. */
export const recipientValueFor = (role: string, r: { type: string; value: string }) => (role === "viewer" ? maskRecipientValue(r) : r.value);

export function recipientsFor<T extends { type: string; value: string }>(role: string, recipients: T[]): T[] {
  return recipients.map((r) => ({ ...r, value: recipientValueFor(role, r) }));
}
