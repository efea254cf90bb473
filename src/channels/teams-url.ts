import { isLoopbackHost } from "../lib/url-safety";

/*
 * Microsoft Teams Workflows ("Post to a channel when a webhook request is received") gives a URL on
 * one of Microsoft's hosts; a Teams recipient may only be such a URL, so that a `teams` recipient
 * cannot be used to post cards to arbitrary hosts. The general outbound rules (https, no private
 * addresses, DNS checked at send time) apply on top. Under LOCAL_DEV a loopback URL is allowed, as
 * for webhooks, so that `npm start` and the tests can use a local receiver.
 */
export const TEAMS_HOST_SUFFIXES = [".logic.azure.com", ".powerplatform.com", ".webhook.office.com"] as const;

/** Null when the URL is on a Teams workflow host (or loopback in local development); otherwise why not. */
export function teamsHostProblem(url: URL, allowLoopback: boolean): string | null {
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  if (allowLoopback && isLoopbackHost(host)) return null;
  if (TEAMS_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix))) return null;
  return `is not a Teams workflow URL (its host must end in ${TEAMS_HOST_SUFFIXES.join(", ")})`;
}
