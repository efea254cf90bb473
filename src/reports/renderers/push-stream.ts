/**
 * A byte stream fed by a producer that waits whenever the reader falls behind, so that a fast
 * producer (a spreadsheet writer) cannot pile up a whole file in memory ahead of a slow upload.
 */
export function pushStream(highWaterMark = 1024 * 1024) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let demand: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        demand?.();
        demand = undefined;
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark }),
  );
  return {
    stream,
    write(chunk: Uint8Array) {
      controller.enqueue(chunk);
    },
    async waitForDemand() {
      while ((controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (demand = resolve));
    },
    close() {
      controller.close();
    },
    error(err: unknown) {
      controller.error(err);
    },
  };
}
