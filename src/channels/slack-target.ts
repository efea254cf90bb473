/*
 * What a Slack recipient's value names: an incoming-webhook URL (which needs nothing else), or a
 * channel of the organization's connected Slack app, by name (`#reports`) or by id (`C0123ABCD`,
 * `G…` for older private channels). Used when a recipient is saved and when it is sent to.
 */
export type SlackTarget = { kind: "webhook"; url: string } | { kind: "channel"; name: string } | { kind: "channel"; id: string };

/** Slack channel names: lowercase letters, digits, hyphens, underscores and periods, at most 80. */
const CHANNEL_NAME = /^#([a-z0-9][a-z0-9._-]{0,79})$/;
const CHANNEL_ID = /^[CG][A-Z0-9]{6,}$/;

export function slackTarget(value: string): SlackTarget | null {
  if (/^https?:\/\//i.test(value)) return { kind: "webhook", url: value };
  const name = CHANNEL_NAME.exec(value)?.[1];
  if (name) return { kind: "channel", name };
  if (CHANNEL_ID.test(value)) return { kind: "channel", id: value };
  return null;
}

export const SLACK_VALUE_HINT = "an incoming-webhook URL (https://hooks.slack.com/…), a #channel-name or a channel id (C0123ABCD)";
