/**
 * A byte stream fed by a producer that waits whenever the reader falls behind, so that a fast
 * producer (a spreadsheet writer) cannot pile up a whole file in memory ahead of a slow upload.
 * When the reader cancels, the producer's next wait throws the reason, so it stops reading rows.
 */
export function pushStream(highWaterMark = 1024 * 1024) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let demand: (() => void) | undefined;
  let cancelled: { reason: unknown } | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        demand?.();
        demand = undefined;
      },
      cancel(reason) {
        cancelled = { reason: reason ?? new Error("The reader cancelled the stream") };
        demand?.();
        demand = undefined;
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark }),
  );
  return {
    stream,
    write(chunk: Uint8Array) {
      if (!cancelled) controller.enqueue(chunk);
    },
    async waitForDemand() {
      for (;;) {
        if (cancelled) throw cancelled.reason;
        if ((controller.desiredSize ?? 1) > 0) return;
        await new Promise<void>((resolve) => (demand = resolve));
      }
    },
    close() {
      if (!cancelled) controller.close();
    },
    error(err: unknown) {
      if (!cancelled) controller.error(err);
    },
  };
}
