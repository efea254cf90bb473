/*
 * Streams a file into R2 with flat memory: bytes are gathered into one fixed-size part at a time.
 * A file smaller than one part is a single put; a larger one is a multipart upload whose parts
 * are all exactly PART_SIZE except the last (R2 requires equal parts of at least 5 MiB), and
 * which is aborted if anything fails, so no half-written object survives.
 */
export const PART_SIZE = 5 * 1024 * 1024;

export type UploadResult = { key: string; size: number; parts: number };

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

  const flushPart = async () => {
    upload ??= await bucket.createMultipartUpload(key, { httpMetadata });
    parts.push(await upload.uploadPart(parts.length + 1, buffer.subarray(0, filled)));
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
      await bucket.put(key, buffer.subarray(0, filled), { httpMetadata });
      return { key, size, parts: 1 };
    }
    if (filled > 0) await flushPart();
    await upload.complete(parts);
    return { key, size, parts: parts.length };
  } catch (err) {
    await reader.cancel(err).catch(() => {});
    await upload?.abort().catch(() => {});
    throw err;
  }
}
