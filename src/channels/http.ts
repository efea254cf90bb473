import { DeliveryFailure } from "./types";

/*
 * The HTTP side every channel shares: one POST with a deadline and no redirects, and one mapping
 * from an answer to a failure class (2xx success; 408, 429 and 5xx retried; 410 gone; any other
 * 3xx or 4xx final).
 */

/** Seconds from a Retry-After header (delta seconds or an HTTP date), if it says anything usable. */
export function parseRetryAfter(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

export async function postWithDeadline(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
  what: string,
): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: init.headers,
      body: init.body,
      // A 3xx is the receiver's answer, not an instruction: following it could lead anywhere,
      // including addresses the URL check refused.
      redirect: "manual",
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if (name === "TimeoutError" || name === "AbortError") {
      throw new DeliveryFailure("timeout", `${what} did not answer within ${Math.round(init.timeoutMs / 1000)} s`);
    }
    throw new DeliveryFailure("network", `${what} could not be reached: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500));
  }
}

/**
 * The start of a response body, for error messages. Only the first bytes are read and the rest is
 * cancelled unread: a receiver (anyone's URL) may answer with an endless body, which reading whole
 * would hold in memory until the deadline.
 */
export async function bodySnippet(res: Response, max = 300): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const limit = max * 4; // UTF-8: at most 4 bytes a character
  const chunks: Uint8Array[] = [];
  let size = 0;
  let more = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > limit) {
        more = true;
        break;
      }
    }
  } catch {
    // A body that breaks off says what it said so far.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(size, limit)));
  return more || text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Null for a 2xx; otherwise the failure the status stands for (the body is read for the message). */
export async function failureOf(res: Response, what: string, now: Date): Promise<DeliveryFailure | null> {
  if (res.status >= 200 && res.status < 300) return null;
  const httpStatus = res.status;
  const retryAfterSeconds = parseRetryAfter(res.headers.get("retry-after"), now);
  const snippet = res.status >= 300 && res.status < 400 ? "" : await bodySnippet(res);
  const said = `${what} answered ${res.status}${snippet ? `: ${snippet}` : ""}`;
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    const location = res.headers.get("location");
    return new DeliveryFailure(
      "redirect",
      `${what} answered ${res.status} (redirect${location ? ` to ${location}` : ""}); redirects are not followed, so update the URL`,
      { httpStatus },
    );
  }
  if (res.status === 429) return new DeliveryFailure("rate_limited", said, { httpStatus, retryAfterSeconds });
  // 408 is the receiver timing out on us: a timeout like any other, worth another attempt.
  if (res.status === 408) return new DeliveryFailure("timeout", said, { httpStatus });
  if (res.status === 410) return new DeliveryFailure("gone", said, { httpStatus });
  if (res.status >= 500) return new DeliveryFailure("server_error", said, { httpStatus, retryAfterSeconds });
  return new DeliveryFailure("rejected", said, { httpStatus });
}
