import { humanSize } from "./format";
import { failureOf } from "./http";
import { checkSendUrl } from "./outbound-url";
import { callSlack, slackFailure } from "./slack-api";
import type { SlackTarget } from "./slack-target";
import { type ChannelContext, type ChannelMessage, DeliveryFailure, type SendResult, type SlackApp } from "./types";

/** Slack's mrkdwn reads &, < and > as markup. */
export const slackText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** conversations.list pages of 1,000: a workspace with more than 20,000 channels should use ids. */
const MAX_CHANNEL_PAGES = 20;

type Channel = { id: string; name: string };

/** A `#name` as the channel id files.completeUploadExternal needs (it takes ids only). */
async function channelIdOf(target: Extract<SlackTarget, { kind: "channel" }>, app: SlackApp, ctx: ChannelContext): Promise<string> {
  if ("id" in target) return target.id;
  let cursor = "";
  for (let page = 0; page < MAX_CHANNEL_PAGES; page++) {
    const params: Record<string, string> = { types: "public_channel,private_channel", exclude_archived: "true", limit: "1000" };
    if (cursor) params.cursor = cursor;
    const answer = await callSlack(ctx.config, app.token, "conversations.list", params, ctx.now);
    if (!answer.ok) throw slackFailure("conversations.list", answer.error ?? "unknown_error", { channel: `#${target.name}`, botUser: app.botUser });
    const found = ((answer.channels as Channel[] | undefined) ?? []).find((c) => c.name === target.name);
    if (found) return found.id;
    cursor = (answer.response_metadata as { next_cursor?: string } | undefined)?.next_cursor ?? "";
    if (!cursor) break;
  }
  throw slackFailure("conversations.list", "channel_not_found", { channel: `#${target.name}`, botUser: app.botUser });
}

/**
 * The report file itself, uploaded into a channel with Slack's upload flow: files.getUploadURLExternal
 * (name and length), the bytes POSTed to the URL it gives, then files.completeUploadExternal shares
 * the file in the channel with a message saying what it is. Slack has no idempotency key: a retry
 * after an answer was lost can post the file twice.
 */
export async function uploadToChannel(message: ChannelMessage, target: Extract<SlackTarget, { kind: "channel" }>, ctx: ChannelContext): Promise<SendResult> {
  const app = await message.slackApp();
  const channel = "id" in target ? target.id : `#${target.name}`;
  if (!app) throw new DeliveryFailure("configuration", `Sending to the Slack channel ${channel} needs a connected Slack app (Settings); nothing was sent`);
  const where = { channel, botUser: app.botUser };
  const channelId = await channelIdOf(target, app, ctx);

  const object = await message.file.read();
  if (!object) throw new DeliveryFailure("file_gone", "The report file is no longer kept (retention); nothing was sent");
  const ticket = await callSlack(
    ctx.config,
    app.token,
    "files.getUploadURLExternal",
    { filename: message.file.fileName, length: String(object.content.byteLength) },
    ctx.now,
  );
  if (!ticket.ok) throw slackFailure("files.getUploadURLExternal", ticket.error ?? "unknown_error", where);
  const uploadUrl = await checkSendUrl(ctx.config, String(ticket.upload_url), "Slack upload");
  let uploaded: Response;
  try {
    uploaded = await fetch(uploadUrl.toString(), {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: object.content,
      redirect: "manual",
      signal: AbortSignal.timeout(Math.max(ctx.config.webhookTimeoutMs, 60_000)),
    });
  } catch (err) {
    throw new DeliveryFailure("network", `The Slack file upload failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500));
  }
  const failure = await failureOf(uploaded, "Slack (file upload)", ctx.now);
  if (failure) throw failure;
  await uploaded.body?.cancel();

  const f = message.file;
  const name = slackText(message.report.name);
  const comment = `*${name}* is ready: ${f.format.toUpperCase()}, generated ${f.generatedAt.toISOString()}, ${humanSize(f.size)}.`;
  const done = await callSlack(
    ctx.config,
    app.token,
    "files.completeUploadExternal",
    { files: JSON.stringify([{ id: String(ticket.file_id), title: message.report.name }]), channel_id: channelId, initial_comment: comment },
    ctx.now,
  );
  if (!done.ok) throw slackFailure("files.completeUploadExternal", done.error ?? "unknown_error", where);
  return { providerMessageId: String(ticket.file_id), detail: `uploaded to ${channel} (${channelId})` };
}
