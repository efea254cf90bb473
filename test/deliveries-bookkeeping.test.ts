import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consumeDeliveries, deliveryFixture, deliveryRow, fake, hookUrl } from "./support/delivery-factories";

/** The app's D1 binding whose `batch` call number `failAt` fails, as a lost connection would. */
function failingBatch(failAt: number) {
  let calls = 0;
  const db = env.DB;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          calls++;
          return calls === failAt ? Promise.reject(new Error("D1_ERROR: Network connection lost")) : target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("recording a batch's sends", () => {
  it("records every send of a batch, then acknowledges the messages", async () => {
    const urls = [hookUrl(), hookUrl(), hookUrl()];
    const f = await deliveryFixture({ recipients: urls.map((value) => ({ type: "webhook" as const, value })) });
    expect(await consumeDeliveries(f.deliveryIds.map((id) => f.job(id)))).toMatchObject({ acked: 3, retried: 0 });
    for (const id of f.deliveryIds) expect(await deliveryRow(id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("retries the messages whose sends could not be recorded: the next attempt sends again with the same webhook-id", async () => {
    const url = hookUrl();
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    const [id] = f.deliveryIds as [string];
    // One message: its load (which claims the attempt), then the batch's record of the send (the second batch) fails.
    expect(await consumeDeliveries([f.job(id)], { env: { DB: failingBatch(2) } })).toMatchObject({ acked: 0, retried: 1 });
    expect(await deliveryRow(id)).toMatchObject({ status: "pending", attempts: 1 });

    expect(await consumeDeliveries([f.job(id)], { attempts: 2 })).toMatchObject({ acked: 1, retried: 0 });
    expect(await deliveryRow(id)).toMatchObject({ status: "sent", attempts: 2 });
    const requests = await fake.requestsTo(new URL(url).pathname);
    expect(requests.map((r) => r.headers["webhook-id"])).toEqual([id, id]);
  });
});
