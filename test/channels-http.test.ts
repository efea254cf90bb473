import { describe, expect, it } from "vitest";
import { bodySnippet, failureOf } from "../src/channels/http";

/** A body that never ends, counting the bytes anyone pulled from it. */
function endless() {
  const pulled = { bytes: 0, cancelled: false };
  const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      pulled.cancelled = true;
    },
  });
  return { body, pulled };
}

describe("a receiver's answer", () => {
  it("is read only as far as an error message needs, however long the receiver keeps sending", async () => {
    const { body, pulled } = endless();
    const snippet = await bodySnippet(new Response(body, { status: 500 }));
    expect(snippet).toBe(`${"x".repeat(300)}…`);
    expect(pulled.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(pulled.cancelled).toBe(true);
  });

  it("still names the failure and quotes the start of the body", async () => {
    const { body } = endless();
    const failure = await failureOf(new Response(body, { status: 503 }), "The webhook endpoint", new Date());
    expect(failure).toMatchObject({ failureClass: "server_error", retryable: true });
    expect(failure!.message).toBe(`The webhook endpoint answered 503: ${"x".repeat(300)}…`);
    expect(await bodySnippet(new Response("short and sweet", { status: 400 }))).toBe("short and sweet");
    expect(await bodySnippet(new Response(null, { status: 400 }))).toBe("");
  });
});
