import { humanSize } from "./format";
import { failureOf, postWithDeadline } from "./http";
import { checkSendUrl } from "./outbound-url";
import { teamsHostProblem } from "./teams-url";
import { type Channel, type ChannelMessage, DeliveryFailure } from "./types";

/*
 * Adaptive Card TextBlocks render markdown: a report name like "[Re-authenticate](https://evil…)"
 * would become a link and "**URGENT**" bold, posted by the organization's trusted workflow (#23).
 * Every character that can start markdown is backslash-escaped (CommonMark escapes, which Teams
 * honours), and a list marker or heading at the start of the text too; line breaks become spaces.
 */
const MARKDOWN_INLINE = /[\\`*_{}[\]()<>#~|!]/g;
const MARKDOWN_LINE_START = /^(\s*)([-+=]|\d+[.)])/;

/** User text (a report name) as Adaptive Card markdown that shows it literally. */
export function teamsText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, " ")
    .replace(MARKDOWN_INLINE, "\\$&")
    .replace(MARKDOWN_LINE_START, (_, space: string, marker: string) => `${space}${marker.replace(/([-+=.)])$/, "\\$1")}`);
}

/** The message a Teams Workflows webhook expects: one Adaptive Card as an attachment. */
export function teamsCard(message: ChannelMessage) {
  const f = message.file;
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", text: teamsText(message.report.name), weight: "Bolder", size: "Medium", wrap: true },
            { type: "TextBlock", text: "Your scheduled report is ready.", wrap: true },
            {
              type: "FactSet",
              facts: [
                { title: "Format", value: f.format.toUpperCase() },
                { title: "Generated at", value: f.generatedAt.toISOString() },
                { title: "File size", value: humanSize(f.size) },
              ],
            },
            { type: "TextBlock", text: `The link is valid until ${f.link.expiresAt.toISOString()}.`, isSubtle: true, size: "Small", wrap: true },
          ],
          actions: [{ type: "Action.OpenUrl", title: "Download the report", url: f.link.url }],
        },
      },
    ],
  };
}

/**
 * A Teams Workflows webhook (the successor of Office 365 connectors): one POST of the card, with the
 * webhook rules (15 s, no redirects, DNS-checked host, 408/429/5xx retried, 410 stops the URL).
 * The workflow answers 202 Accepted once it has queued the post.
 */
export const teamsChannel: Channel = {
  async send(message, { config, now }) {
    const url = await checkSendUrl(config, message.recipient, "Teams");
    const problem = teamsHostProblem(url, config.localDev);
    if (problem) throw new DeliveryFailure("unsafe_url", `The Teams URL ${problem}; nothing was sent`);
    const res = await postWithDeadline(
      url.toString(),
      { headers: { "content-type": "application/json" }, body: JSON.stringify(teamsCard(message)), timeoutMs: config.webhookTimeoutMs },
      "The Teams workflow",
    );
    const failure = await failureOf(res, "The Teams workflow", now);
    if (failure) throw failure;
    await res.body?.cancel();
    return { providerMessageId: null, detail: `HTTP ${res.status}` };
  },
};
