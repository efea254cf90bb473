import type { DeliveryConfig } from "../config";
import { failureOf, parseRetryAfter, postWithDeadline } from "./http";
import { DeliveryFailure } from "./types";

/*
 * The Slack Web API (SLACK_API_URL, https://slack.com/api): form-encoded POSTs with the bot token
 * as bearer. Slack answers 200 with {ok: false, error} for most failures, and 429 with Retry-After
 * (and error "ratelimited") when a method's rate tier is exceeded; both are honoured here.
 */
export type SlackAnswer = { ok: boolean; error?: string; [key: string]: unknown };

export async function callSlack(config: DeliveryConfig, token: string, method: string, params: Record<string, string>, now: Date): Promise<SlackAnswer> {
  const res = await postWithDeadline(
    `${config.slack.apiUrl}/${method}`,
    {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: new URLSearchParams(params).toString(),
      timeoutMs: config.webhookTimeoutMs,
    },
    `Slack (${method})`,
  );
  const failure = await failureOf(res, `Slack (${method})`, now);
  if (failure) throw failure;
  let answer: SlackAnswer;
  try {
    answer = (await res.json()) as SlackAnswer;
  } catch {
    throw new DeliveryFailure("server_error", `Slack (${method}) answered ${res.status} with a body that is not JSON`, { httpStatus: res.status });
  }
  if (!answer.ok && answer.error === "ratelimited") {
    throw new DeliveryFailure("rate_limited", `Slack (${method}) answered ratelimited`, {
      httpStatus: res.status,
      retryAfterSeconds: parseRetryAfter(res.headers.get("retry-after"), now),
    });
  }
  return answer;
}

/** Errors that say the token itself no longer works: the admin must connect the app again. */
const TOKEN_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "team_access_not_granted",
  "missing_scope",
  "no_permission",
  "not_allowed_token_type",
]);
/** Slack's own trouble: worth another attempt. */
const SLACK_TROUBLE = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

/** The failure an {ok: false} answer stands for; `where` names the channel for people. */
export function slackFailure(method: string, error: string, where: { channel: string; botUser: string | null }): DeliveryFailure {
  const invite = `invite the app to ${where.channel} (/invite @${where.botUser ?? "your-app"} in that channel), then retry`;
  if (error === "not_in_channel") return new DeliveryFailure("rejected", `The Slack app is not in ${where.channel}: ${invite}`);
  if (error === "channel_not_found") {
    return new DeliveryFailure("rejected", `Slack has no channel ${where.channel} the app can see: check the name, or ${invite}`);
  }
  if (error === "is_archived") return new DeliveryFailure("rejected", `The Slack channel ${where.channel} is archived`);
  if (TOKEN_ERRORS.has(error)) {
    return new DeliveryFailure("configuration", `Slack refused the app's token (${method}: ${error}): connect the Slack app again in Settings`);
  }
  if (SLACK_TROUBLE.has(error)) return new DeliveryFailure("server_error", `Slack (${method}) answered ${error}`);
  return new DeliveryFailure("rejected", `Slack (${method}) answered ${error}`);
}
