import { emailChannel } from "./email";
import { slackChannel } from "./slack";
import type { Channel, ChannelType } from "./types";
import { webhookChannel } from "./webhook";

/** Exhaustive: a recipient type without a channel is a compile error. */
export const channels: Record<ChannelType, Channel> = {
  email: emailChannel,
  slack: slackChannel,
  webhook: webhookChannel,
};
