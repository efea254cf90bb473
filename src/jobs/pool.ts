/**
 * Runs `fn` over `items` with at most `limit` at a time, in order of start; resolves when all have
 * finished. A consumer handles a batch's messages this way: each message is settled on its own, so
 * one slow message (a PDF, a slow webhook) holds back only its own slot.
 */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, worker));
}
