import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { api, expectError } from "./support/api";
import { consumeDeliveries, deliveryFixture, deliveryRow, fake, hookUrl } from "./support/delivery-factories";

/** A run with a delivery to each of two webhooks: the one that stays on the report, and the one removed. */
async function twoWebhooks() {
  const kept = hookUrl();
  const removed = hookUrl();
  const fixture = await deliveryFixture({
    recipients: [
      { type: "webhook", value: kept },
      { type: "webhook", value: removed },
    ],
  });
  return { kept, removed, fixture };
}

describe("deliveries to recipients removed from the report", () => {
  it("are cancelled with the reason, while the others are sent, and nobody is notified", async () => {
    const { kept, removed, fixture } = await twoWebhooks();
    // The report loses a recipient between the run and the delivery.
    const patched = await api(`/api/scheduled-reports/${fixture.reportId}`, {
      method: "PATCH",
      token: fixture.admin.token,
      body: { recipients: [{ type: "webhook", value: kept }] },
    });
    expect(patched.status).toBe(200);
    await consumeDeliveries(fixture.deliveryIds.map(fixture.job));
    const [sent, cancelled] = await Promise.all(fixture.deliveryIds.map(deliveryRow));
    expect(sent!.status).toBe("sent");
    expect(cancelled).toMatchObject({ status: "failed", failureClass: "recipient_removed", lastError: "Not sent: the recipient was removed from the report" });
    expect(await fake.requestsTo(new URL(removed).pathname)).toHaveLength(0);
    // A redelivered message changes nothing and sends no failure notice.
    await consumeDeliveries([fixture.job(fixture.deliveryIds[1]!)]);
    const notices = await env.DB.prepare("select count(*) as n from notices where delivery_id = ?").bind(fixture.deliveryIds[1]).first<{ n: number }>();
    expect(notices!.n).toBe(0);
  });

  it("are cancelled when the report was deleted (its links would only answer 410)", async () => {
    const url = hookUrl();
    const fixture = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    expect((await api(`/api/scheduled-reports/${fixture.reportId}`, { method: "DELETE", token: fixture.admin.token })).status).toBe(204);
    await consumeDeliveries([fixture.job(fixture.deliveryIds[0]!)]);
    expect(await deliveryRow(fixture.deliveryIds[0]!)).toMatchObject({ status: "failed", lastError: "Not sent: the report was deleted" });
    expect(await fake.requestsTo(new URL(url).pathname)).toHaveLength(0);
  });

  it("are cancelled when the run's failed deliveries are retried after the recipient was removed, and never retried again", async () => {
    const { kept, removed, fixture } = await twoWebhooks();
    const [keptId, removedId] = fixture.deliveryIds as [string, string];
    // Both receivers refuse the first delivery for good.
    for (const url of [kept, removed]) await fake.script(new URL(url).pathname, [{ status: 404 }]);
    await consumeDeliveries(fixture.deliveryIds.map(fixture.job));
    expect((await Promise.all(fixture.deliveryIds.map(deliveryRow))).map((d) => d.status)).toEqual(["failed", "failed"]);
    const patched = await api(`/api/scheduled-reports/${fixture.reportId}`, {
      method: "PATCH",
      token: fixture.admin.token,
      body: { recipients: [{ type: "webhook", value: kept }] },
    });
    expect(patched.status).toBe(200);

    const retry = () => api(`/api/executions/${fixture.executionId}/retry`, { method: "POST", token: fixture.admin.token });
    expect((await retry()).body).toMatchObject({ retried: "deliveries", deliveries: 2 });
    await vi.waitFor(async () => expect((await deliveryRow(keptId)).status).toBe("sent"), { timeout: 15_000, interval: 200 });
    await vi.waitFor(async () => expect(await deliveryRow(removedId)).toMatchObject({ status: "failed", failureClass: "recipient_removed" }), {
      timeout: 15_000,
      interval: 200,
    });
    expect(await fake.requestsTo(new URL(removed).pathname)).toHaveLength(1);
    // A cancelled delivery is not a failed one to retry: nothing is left, and it stays cancelled.
    expectError(await retry(), 409, "conflict");
    expect(await deliveryRow(removedId)).toMatchObject({ status: "failed", failureClass: "recipient_removed" });
  });
});
