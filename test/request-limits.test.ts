import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, expectError, newOrganization } from "./support/api";
import { reportBody } from "./support/factories";

/** A body sent in chunks, without a Content-Length the server could check up front. */
function chunked(text: string) {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 16_384) controller.enqueue(bytes.slice(i, i + 16_384));
      controller.close();
    },
  });
}

describe("request bodies", () => {
  it("refuses a chunked body over the limit on the bytes read, and writes nothing", async () => {
    const admin = await newOrganization();
    const body = JSON.stringify({ ...reportBody(), name: "x".repeat(300_000) });
    const res = await SELF.fetch("http://127.0.0.1:8787/api/scheduled-reports", {
      method: "POST",
      headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json", "cf-connecting-ip": "198.51.100.3" },
      body: chunked(body),
    });
    expect(res.headers.get("content-length")).not.toBe(String(body.length));
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe("payload_too_large");
    const n = await env.DB.prepare("select count(*) as n from scheduled_reports where organization_id = ?").bind(admin.organizationId).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it("accepts a chunked body under the limit, read once by the validator", async () => {
    const admin = await newOrganization();
    const res = await SELF.fetch("http://127.0.0.1:8787/api/scheduled-reports", {
      method: "POST",
      headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json", "cf-connecting-ip": "198.51.100.4" },
      body: chunked(JSON.stringify(reportBody({ name: "Chunked" }))),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).name).toBe("Chunked");
  });

  it("refuses a JSON body that is not valid UTF-8 instead of storing replacement characters, and writes nothing", async () => {
    const admin = await newOrganization();
    const json = new TextEncoder().encode(JSON.stringify(reportBody({ name: "NAME" })));
    const at = new TextDecoder().decode(json).indexOf("NAME");
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const body = new Uint8Array([...json.slice(0, at), ...bad, ...json.slice(at + 4)]);
      const res = await SELF.fetch("http://127.0.0.1:8787/api/scheduled-reports", {
        method: "POST",
        headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json", "cf-connecting-ip": "198.51.100.5" },
        body,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error).toMatchObject({ code: "invalid_json", message: "The request body is not valid UTF-8" });
    }
    const n = await env.DB.prepare("select count(*) as n from scheduled_reports where organization_id = ?").bind(admin.organizationId).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it("answers a body that does not parse as JSON with invalid_json, on every route (the provider webhooks too)", async () => {
    const admin = await newOrganization();
    for (const [path, token] of [
      ["/api/scheduled-reports", admin.token],
      ["/api/auth/login", undefined],
      ["/api/email/bounces/resend", undefined],
    ] as const) {
      const res = await api(path, { token, body: '{"name": "unfinished', headers: { "content-type": "application/json" } });
      expectError(res, 400, "invalid_json");
      expect(res.body.error.message).toBe("The request body is not valid JSON");
    }
  });

  it("refuses a body that is not JSON", async () => {
    const admin = await newOrganization();
    expectError(
      await api("/api/scheduled-reports", { token: admin.token, body: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
    );
  });
});
