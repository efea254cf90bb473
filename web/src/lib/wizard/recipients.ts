import type { Recipient } from "../api.ts";

/*
 * What the recipients step checks before the API does (the API checks again, and its messages
 * are shown under the field): the shape of each channel's value.
 */
export const CHANNELS: { type: Recipient["type"]; label: string }[] = [
  { type: "email", label: "Email" },
  { type: "slack", label: "Slack" },
  { type: "teams", label: "Microsoft Teams" },
  { type: "webhook", label: "Webhook" },
];

const emailOk = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
const urlOk = (v: string) => /^https?:\/\/\S+$/.test(v);
/** #name (Slack's lowercase names) or a channel id, as the API accepts them. */
export const isSlackChannel = (v: string) => /^#[a-z0-9][a-z0-9._-]{0,79}$/.test(v) || /^[CG][A-Z0-9]{6,}$/.test(v);

/** What is wrong with the value, or "" when it looks right (or is still empty). */
export function recipientProblem(r: { type: Recipient["type"]; value: string }, slackConnected: boolean): string {
  if (!r.value) return "";
  switch (r.type) {
    case "email":
      return emailOk(r.value) ? "" : "Not an email address";
    case "slack":
      if (urlOk(r.value)) return "";
      if (isSlackChannel(r.value)) return slackConnected ? "" : "Connect a Slack app in Settings to send to a channel, or use an incoming-webhook URL";
      return slackConnected
        ? "A #channel-name (lowercase), a channel id or an incoming-webhook URL (https://hooks.slack.com/…)"
        : "Not a URL (https://hooks.slack.com/…)";
    case "teams":
    case "webhook":
      return urlOk(r.value) ? "" : "Not a URL (https://…)";
  }
}

/** The label and placeholder of the value field for a channel. */
export function valueField(type: Recipient["type"], slackConnected: boolean): { label: string; placeholder: string } {
  switch (type) {
    case "email":
      return { label: "Address", placeholder: "ops@example.com" };
    case "slack":
      return slackConnected
        ? { label: "Channel or URL", placeholder: "#reports or https://hooks.slack.com/…" }
        : { label: "Webhook URL", placeholder: "https://hooks.slack.com/…" };
    case "teams":
      return { label: "Workflow URL", placeholder: "https://….logic.azure.com/workflows/…" };
    case "webhook":
      return { label: "URL", placeholder: "https://…" };
  }
}
