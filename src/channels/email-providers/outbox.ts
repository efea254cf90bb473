import { DeliveryFailure } from "../types";
import { storeOutboxMessage } from "./outbox-store";
import type { EmailProvider } from "./types";

/** Local development's provider: nothing leaves the machine; the dashboard reads /api/outbox. */
export const outbox: EmailProvider = {
  name: "outbox",
  maxMessageBytes: 40 * 1024 * 1024,
  async send(env, config, message) {
    if (!config.localDev) throw new DeliveryFailure("configuration", 'EMAIL_PROVIDER is "outbox", which only works in local development');
    const id = await storeOutboxMessage(env, message, new Date());
    return { providerMessageId: `outbox:${id}` };
  },
};
