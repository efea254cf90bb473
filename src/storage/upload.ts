/*
 * Streams a file into R2 with flat memory: bytes are gathered into one fixed-size part at a time.
 * A file smaller than one part is a single put; a larger one is a multipart upload whose parts
 * are all exactly PART_SIZE except the last (R2 requires equal parts of at least 5 MiB), and
 * which is aborted if anything fails, so no half-written object survives.
 */
export const PART_SIZE = 5 * 1024 * 1024;

/** `r2Ms`: time spent waiting on R2 itself, for the step timings in the logs. */
export type UploadResult = { key: string; size: number; parts: number; r2Ms: number };

export async function uploadStream(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream<Uint8Array>,
  httpMetadata: R2HTTPMetadata,
  partSize = PART_SIZE,
): Promise<UploadResult> {
  const reader = body.getReader();
  let buffer = new Uint8Array(partSize);
  let filled = 0;
  let size = 0;
  let upload: R2MultipartUpload | undefined;
  const parts: R2UploadedPart[] = [];
  let r2Ms = 0;
  const timed = async <T>(call: () => Promise<T>) => {
    const t0 = Date.now();
    try {
      return await call();
    } finally {
      r2Ms += Date.now() - t0;
    }
  };

  const flushPart = async () => {
    upload ??= await timed(() => bucket.createMultipartUpload(key, { httpMetadata }));
    const multipart = upload;
    const body = buffer.subarray(0, filled);
    parts.push(await timed(() => multipart.uploadPart(parts.length + 1, body)));
    buffer = new Uint8Array(partSize);
    filled = 0;
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      let offset = 0;
      while (offset < value.byteLength) {
        const n = Math.min(partSize - filled, value.byteLength - offset);
        buffer.set(value.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === partSize) await flushPart();
      }
    }
    if (!upload) {
      await timed(() => bucket.put(key, buffer.subarray(0, filled), { httpMetadata }));
      return { key, size, parts: 1, r2Ms };
    }
    if (filled > 0) await flushPart();
    const multipart = upload;
    await timed(() => multipart.complete(parts));
    return { key, size, parts: parts.length, r2Ms };
  } catch (err) {
    await reader.cancel(err).catch(() => {});
    await upload?.abort().catch(() => {});
    throw err;
  }
}
