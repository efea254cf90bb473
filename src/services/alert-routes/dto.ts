import type { AlertRouteRow } from "../../domain/alert-routes";
import { maskUrl } from "../../domain/recipients";

/**
 * The routes as a role may see them. The Slack URL is a credential: once saved nobody reads it back
 * in full (its origin and first path segment only). The webhook URL is masked for viewers.
 */
export function toAlertRoutesDto(row: AlertRouteRow | null, slackUrl: string | null, role: string) {
  const webhookUrl = row?.webhookUrl ?? null;
  return {
    emailAdmins: row?.emailAdmins ?? true,
    slackUrl: row?.slackUrlSealed ? (slackUrl ? maskUrl(slackUrl) : "(unreadable since the root secret changed: set it again)") : null,
    webhookUrl: webhookUrl && role === "viewer" ? maskUrl(webhookUrl) : webhookUrl,
  };
}
