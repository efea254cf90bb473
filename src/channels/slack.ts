import { deliveryConfig } from "./config";
import { humanSize } from "./format";
import { failureOf, postWithDeadline } from "./http";
import { checkSendUrl } from "./outbound-url";
import type { Channel } from "./types";

/** Slack's mrkdwn reads &, < and > as markup. */
const slackText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An incoming-webhook message shaped as in architecture.md; a 429 carries Retry-After, honoured by the retry. */
export const slackChannel: Channel = {
  async send(input) {
    const config = deliveryConfig(input.env);
    const url = await checkSendUrl(config, input.delivery.recipientValue, "Slack");
    const name = slackText(input.report.name);
    const body = JSON.stringify({
      text: `Your scheduled report "${name}" is ready`,
      attachments: [
        {
          title: name,
          title_link: input.link.url,
          fields: [
            { title: "Format", value: input.execution.format.toUpperCase(), short: true },
            { title: "Generated At", value: (input.execution.completedAt ?? input.execution.createdAt).toISOString(), short: true },
            { title: "File Size", value: humanSize(input.execution.fileSize), short: true },
          ],
          footer: `Link valid until ${input.link.expiresAt.toISOString()}`,
        },
      ],
    });
    const res = await postWithDeadline(url.toString(), { headers: { "content-type": "application/json" }, body, timeoutMs: config.webhookTimeoutMs }, "Slack");
    const failure = await failureOf(res, "Slack", input.now);
    if (failure) throw failure;
    await res.body?.cancel();
    return { providerMessageId: null };
  },
};
