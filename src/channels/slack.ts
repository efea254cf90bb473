import { humanSize } from "./format";
import { failureOf, postWithDeadline } from "./http";
import { checkSendUrl } from "./outbound-url";
import type { Channel } from "./types";

/** Slack's mrkdwn reads &, < and > as markup. */
const slackText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An incoming-webhook message shaped as in architecture.md; a 429 carries Retry-After, honoured by the retry. */
export const slackChannel: Channel = {
  async send(message, { config, now }) {
    const url = await checkSendUrl(config, message.recipient, "Slack");
    const name = slackText(message.report.name);
    const body = JSON.stringify({
      text: `Your scheduled report "${name}" is ready`,
      attachments: [
        {
          title: name,
          title_link: message.file.link.url,
          fields: [
            { title: "Format", value: message.file.format.toUpperCase(), short: true },
            { title: "Generated At", value: message.file.generatedAt.toISOString(), short: true },
            { title: "File Size", value: humanSize(message.file.size), short: true },
          ],
          footer: `Link valid until ${message.file.link.expiresAt.toISOString()}`,
        },
      ],
    });
    const res = await postWithDeadline(url.toString(), { headers: { "content-type": "application/json" }, body, timeoutMs: config.webhookTimeoutMs }, "Slack");
    const failure = await failureOf(res, "Slack", now);
    if (failure) throw failure;
    await res.body?.cancel();
    return { providerMessageId: null };
  },
};
