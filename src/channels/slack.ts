import { humanSize } from "./format";
import { failureOf, postWithDeadline } from "./http";
import { checkSendUrl } from "./outbound-url";
import { slackText, uploadToChannel } from "./slack-app";
import { SLACK_VALUE_HINT, slackTarget } from "./slack-target";
import { type Channel, DeliveryFailure } from "./types";

/**
 * A Slack recipient is an incoming webhook (a message with the link, shaped as in http-contract.md;
 * a 429 carries Retry-After, honoured by the retry) or a channel of the organization's Slack app
 * (the file itself is uploaded, see slack-app.ts).
 */
export const slackChannel: Channel = {
  async send(message, ctx) {
    const target = slackTarget(message.recipient);
    if (!target) throw new DeliveryFailure("rejected", `The Slack recipient must be ${SLACK_VALUE_HINT}; nothing was sent`);
    if (target.kind === "channel") return uploadToChannel(message, target, ctx);
    const { config, now } = ctx;
    const url = await checkSendUrl(config, target.url, "Slack");
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
