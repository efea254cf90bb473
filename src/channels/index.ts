import { emailChannel } from "./email";
import { slackChannel } from "./slack";
import { teamsChannel } from "./teams";
import { asDeliveryFailure, type Channel, type ChannelContext, type ChannelMessage, type ChannelOutcome, type ChannelType } from "./types";
import { webhookChannel } from "./webhook";

/** Exhaustive: a recipient type without a channel is a compile error. */
export const channels: Record<ChannelType, Channel> = {
  email: emailChannel,
  slack: slackChannel,
  webhook: webhookChannel,
  teams: teamsChannel,
};

/** Sends one message through its recipient type's channel and says what came of it. */
export async function sendThrough(type: ChannelType, message: ChannelMessage, ctx: ChannelContext): Promise<ChannelOutcome> {
  try {
    return { ok: true, ...(await channels[type].send(message, ctx)) };
  } catch (err) {
    return { ok: false, failure: asDeliveryFailure(err) };
  }
}
