import { env } from "cloudflare:test";

/**
 * The app's bindings with queues that record what is sent instead of delivering it: for tests whose
 * subject is what gets sent (the watchdog, the tick), not what a consumer later does with it.
 */
export function recordingQueues() {
  const sent: unknown[] = [];
  const queue = {
    sendBatch: async (batch: { body: unknown }[]) => void sent.push(...batch.map((m) => m.body)),
    send: async (body: unknown) => void sent.push(body),
  };
  return { sent, env: { ...env, GENERATION_QUEUE: queue, HEAVY_GENERATION_QUEUE: queue, DELIVERY_QUEUE: queue } as unknown as Env };
}
