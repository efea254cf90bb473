import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { disabledWebhookEndpoints } from "../src/db/schema";
import { api, expectError, newOrganization } from "./support/api";
import { consumeDeliveries, db, deliveryFixture, deliveryRow, fake, hookUrl, makeDue } from "./support/delivery-factories";
import { reportBody } from "./support/factories";

/** The Adaptive Card of a message posted to a Teams workflow. */
const cardOf = (body: string) => JSON.parse(body).attachments[0].content;

describe("Microsoft Teams recipients (Workflows webhooks)", () => {
  it("post an Adaptive Card with the report's name, format, time, size and the signed download link", async () => {
    const url = hookUrl("teams");
    const f = await deliveryFixture({ recipients: [{ type: "teams", value: url }], format: "csv" });
    const [id] = f.deliveryIds as [string];
    expect(await consumeDeliveries([f.job(id)])).toMatchObject({ acked: 1, retried: 0 });

    const [req, ...more] = await fake.requestsTo(new URL(url).pathname);
    expect(more).toHaveLength(0);
    expect(req!.headers["content-type"]).toBe("application/json");
    const message = JSON.parse(req!.body);
    expect(message).toMatchObject({ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive" }] });
    const card = cardOf(req!.body);
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    expect(card.body[0]).toMatchObject({ type: "TextBlock", text: f.reportName });
    expect(card.body[2].facts).toEqual([
      { title: "Format", value: "CSV" },
      { title: "Generated at", value: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      { title: "File size", value: `${f.file.byteLength} B` },
    ]);
    const [action] = card.actions;
    expect(action).toMatchObject({
      type: "Action.OpenUrl",
      title: "Download the report",
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8787\/api\/files\//),
    });
    const file = await SELF.fetch(action.url);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(f.file);
    expect(await deliveryRow(id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("show the report's name literally: its markdown is escaped, so it is neither a link nor bold (#23)", async () => {
    const url = hookUrl("teams");
    const tag = crypto.randomUUID().slice(0, 8);
    const reportName = `- **URGENT** [Re-authenticate](https://evil.example/${tag}) _now_ \`x\` # 1. <b>`;
    const f = await deliveryFixture({ recipients: [{ type: "teams", value: url }], reportName });
    expect(await consumeDeliveries([f.job(f.deliveryIds[0]!)])).toMatchObject({ acked: 1, retried: 0 });
    const [req] = await fake.requestsTo(new URL(url).pathname);
    const text: string = cardOf(req!.body).body[0].text;
    expect(text).toBe(`\\- \\*\\*URGENT\\*\\* \\[Re-authenticate\\]\\(https://evil.example/${tag}\\) \\_now\\_ \\\`x\\\` \\# 1. \\<b\\>`);
    // Nothing in it reads as markdown any more: no unescaped link, emphasis or code.
    expect(text).not.toMatch(/(^|[^\\])(\*\*|\[|\]\(|`|_)/);
  });

  it("retry a 5xx with the same card, and stop sending to a URL that answered 410", async () => {
    const url = hookUrl("teams");
    const f = await deliveryFixture({ recipients: [{ type: "teams", value: url }] });
    const [id] = f.deliveryIds as [string];
    await fake.script(new URL(url).pathname, [{ status: 502, body: "Bad gateway" }]);
    expect(await consumeDeliveries([f.job(id)])).toMatchObject({ retried: 1, delays: [60] });
    expect(await deliveryRow(id)).toMatchObject({ status: "pending", failureClass: "server_error" });
    await makeDue(id);
    expect(await consumeDeliveries([f.job(id)], { attempts: 2 })).toMatchObject({ acked: 1 });
    const [first, second] = await fake.requestsTo(new URL(url).pathname);
    expect(second!.body).toBe(first!.body);
    expect(await deliveryRow(id)).toMatchObject({ status: "sent", attempts: 2 });

    const gone = hookUrl("teams");
    const g = await deliveryFixture({ recipients: [{ type: "teams", value: gone }] });
    await fake.script(new URL(gone).pathname, [{ status: 410 }]);
    await consumeDeliveries([g.job(g.deliveryIds[0]!)]);
    expect(await deliveryRow(g.deliveryIds[0]!)).toMatchObject({ status: "failed", failureClass: "gone" });
    const disabled = await db().select().from(disabledWebhookEndpoints).where(eq(disabledWebhookEndpoints.url, gone));
    expect(disabled).toHaveLength(1);
  });

  it("must be a Teams workflow URL on Microsoft's hosts, and safe", async () => {
    const admin = await newOrganization();
    const create = (value: string) => api("/api/scheduled-reports", { token: admin.token, body: reportBody({ recipients: [{ type: "teams", value }] }) });
    const ok = await create("https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=x");
    expect(ok.status).toBe(201);
    expect((await create("https://default1234.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc")).status).toBe(201);
    for (const bad of [
      "https://example.com/workflows/abc",
      "https://logic.azure.com.evil.example/x",
      "http://prod-1.westeurope.logic.azure.com/x",
      "https://10.0.0.1/x",
    ]) {
      const res = await create(bad);
      expectError(res, 400, "validation_failed");
      expect(res.body.error.details[0].path, bad).toBe("recipients.0.value");
    }
  });

  it("can be sent a test card, and a refusal is a 422", async () => {
    const admin = await newOrganization();
    const url = hookUrl("teams");
    const res = await api("/api/recipients/test", { token: admin.token, body: { type: "teams", value: url } });
    expect(res.body).toEqual({ sent: true, providerMessageId: null });
    const [req] = await fake.requestsTo(new URL(url).pathname);
    expect(cardOf(req!.body).body[0].text).toBe("Test message");
    const refused = hookUrl("teams");
    await fake.script(new URL(refused).pathname, [{ status: 400, body: '{"error":{"code":"InvalidRequestContent"}}' }]);
    expectError(await api("/api/recipients/test", { token: admin.token, body: { type: "teams", value: refused } }), 422, "test_delivery_failed");
  });
});
