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
