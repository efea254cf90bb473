import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deadLetters, deliveryAttempts, notices, reportDeliveries, reportExecutions } from "../src/db/schema";
import { failDeliveryForGood } from "../src/jobs/deliver/fail-for-good";
import { consumeDeliveries, db, deliveryFixture, deliveryRow, fake, hookUrl, makeDue } from "./support/delivery-factories";
import type { ScriptedResponse } from "./support/fake-services/server";

async function webhookDelivery() {
  const url = hookUrl();
  const f = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
  return { ...f, url, path: new URL(url).pathname, id: f.deliveryIds[0]! };
}

describe("retries by failure class", () => {
  it("backs off 1, 5 and 30 minutes, then fails for good after the fourth attempt and tells the creator", async () => {
    const d = await webhookDelivery();
    await fake.script(
      d.path,
      Array.from({ length: 4 }, () => ({ status: 500, body: "boom" })),
    );
    const delays: (number | undefined)[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const result = await consumeDeliveries([d.job(d.id)], { attempts: attempt });
      delays.push(...result.delays);
      if (attempt < 4) {
        expect(result).toMatchObject({ retried: 1, acked: 0 });
        const row = await deliveryRow(d.id);
        expect(row).toMatchObject({ status: "pending", attempts: attempt, failureClass: "server_error" });
        expect(row.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan((result.delays[0]! - 5) * 1000);
        await makeDue(d.id);
      } else {
        expect(result).toMatchObject({ retried: 0, acked: 1 });
      }
    }
    expect(delays).toEqual([60, 300, 1800]);
    expect(await fake.requestsTo(d.path)).toHaveLength(4);
    const row = await deliveryRow(d.id);
    expect(row).toMatchObject({ status: "failed", attempts: 4, failureClass: "server_error", nextAttemptAt: null });
    expect(row.lastError).toContain("answered 500: boom");
    const history = await db().select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, d.id)).orderBy(deliveryAttempts.attempt);
    expect(history.map((a) => [a.attempt, a.outcome, a.httpStatus])).toEqual([
      [1, "retry", 500],
      [2, "retry", 500],
      [3, "retry", 500],
      [4, "failed", 500],
    ]);
    // Every attempt sent the same link (idempotent bodies), minted at the first one.
    expect(new Set(history.map((a) => a.linkExpiresAt.getTime())).size).toBe(1);

    const notice = await fake.requests(d.admin.email);
    expect(notice).toHaveLength(1);
    expect(JSON.parse(notice[0]!.body)).toMatchObject({ to: [d.admin.email], subject: `Scheduled Report not delivered: ${d.reportName}` });
  });

  const table: [string, ScriptedResponse, { failureClass: string; delay?: number }][] = [
    ["a 500", { status: 500 }, { failureClass: "server_error", delay: 60 }],
    ["a 503 with Retry-After", { status: 503, headers: { "retry-after": "240" } }, { failureClass: "server_error", delay: 240 }],
    ["a 429 with a long Retry-After", { status: 429, headers: { "retry-after": "120" } }, { failureClass: "rate_limited", delay: 120 }],
    ["a 429 with a short Retry-After (the backoff is longer)", { status: 429, headers: { "retry-after": "5" } }, { failureClass: "rate_limited", delay: 60 }],
    [
      "a 429 with an HTTP-date Retry-After",
      { status: 429, headers: { "retry-after": new Date(Date.now() + 600_000).toUTCString() } },
      { failureClass: "rate_limited" },
    ],
    ["a 408", { status: 408 }, { failureClass: "timeout", delay: 60 }],
    ["a 400", { status: 400 }, { failureClass: "rejected" }],
    ["a 401", { status: 401 }, { failureClass: "rejected" }],
    ["a 404", { status: 404 }, { failureClass: "rejected" }],
    ["a 422", { status: 422 }, { failureClass: "rejected" }],
  ];

  it.each(table)("handles %s", async (_label, response, expected) => {
    const d = await webhookDelivery();
    await fake.script(d.path, [response]);
    const result = await consumeDeliveries([d.job(d.id)]);
    const row = await deliveryRow(d.id);
    expect(row.failureClass).toBe(expected.failureClass);
    if (expected.failureClass === "rejected") {
      expect(result).toMatchObject({ acked: 1, retried: 0 });
      expect(row.status).toBe("failed");
    } else {
      expect(result.retried).toBe(1);
      expect(row.status).toBe("pending");
      if (expected.delay) expect(result.delays).toEqual([expected.delay]);
      else expect(result.delays[0]).toBeGreaterThanOrEqual(595);
    }
  });

  it("retries a timeout (the request is given up after the configured deadline)", async () => {
    const d = await webhookDelivery();
    await fake.script(d.path, [{ status: 200, delayMs: 2500 }]);
    const started = Date.now();
    const result = await consumeDeliveries([d.job(d.id)], { env: { WEBHOOK_TIMEOUT_SECONDS: "1" } });
    expect(Date.now() - started).toBeLessThan(2400);
    expect(result).toMatchObject({ retried: 1, delays: [60] });
    expect(await deliveryRow(d.id)).toMatchObject({ status: "pending", failureClass: "timeout" });
  });

  it("retries a network error", async () => {
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: "http://127.0.0.1:1/closed" }] });
    const result = await consumeDeliveries([f.job(f.deliveryIds[0]!)]);
    expect(result).toMatchObject({ retried: 1, delays: [60] });
    expect(await deliveryRow(f.deliveryIds[0]!)).toMatchObject({ status: "pending", failureClass: "network" });
  });

  it("lets a rate limit wait the longer of its Retry-After and the backoff step", async () => {
    const d = await webhookDelivery();
    await fake.script(d.path, [{ status: 500 }, { status: 429, headers: { "retry-after": "120" } }, { status: 429, headers: { "retry-after": "3000" } }]);
    expect((await consumeDeliveries([d.job(d.id)])).delays).toEqual([60]);
    await makeDue(d.id);
    expect((await consumeDeliveries([d.job(d.id)], { attempts: 2 })).delays).toEqual([300]);
    await makeDue(d.id);
    expect((await consumeDeliveries([d.job(d.id)], { attempts: 3 })).delays).toEqual([3000]);
  });
});

describe("a message delivered more than once", () => {
  it("sends nothing twice once the delivery was sent", async () => {
    const d = await webhookDelivery();
    await consumeDeliveries([d.job(d.id)]);
    const again = await consumeDeliveries([d.job(d.id)], { attempts: 2 });
    expect(again).toMatchObject({ acked: 1, retried: 0 });
    expect(await fake.requestsTo(d.path)).toHaveLength(1);
    expect(await deliveryRow(d.id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("sends once when two copies arrive together, in one batch or in two at once", async () => {
    const d = await webhookDelivery();
    const same = await consumeDeliveries([d.job(d.id), d.job(d.id), d.job(d.id)]);
    expect(same).toMatchObject({ acked: 3, retried: 0 });
    const e = await webhookDelivery();
    await Promise.all([consumeDeliveries([e.job(e.id)]), consumeDeliveries([e.job(e.id)]), consumeDeliveries([e.job(e.id)])]);
    expect(await fake.requestsTo(d.path)).toHaveLength(1);
    expect(await fake.requestsTo(e.path)).toHaveLength(1);
    expect(await deliveryRow(e.id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("leaves an attempt in flight to its consumer, and takes over one whose consumer died", async () => {
    const claimedAgo = async (ms: number) => {
      const d = await webhookDelivery();
      // A consumer claimed attempt 1 `ms` ago and has recorded no outcome yet.
      await db().update(reportDeliveries).set({ attempts: 1 }).where(eq(reportDeliveries.id, d.id));
      const startedAt = new Date(Date.now() - ms);
      await db()
        .insert(deliveryAttempts)
        .values({
          id: crypto.randomUUID(),
          organizationId: d.admin.organizationId,
          deliveryId: d.id,
          attempt: 1,
          startedAt,
          linkExpiresAt: new Date(Date.now() + 86_400_000),
        });
      return d;
    };
    const sending = await claimedAgo(30_000);
    expect(await consumeDeliveries([sending.job(sending.id)])).toMatchObject({ acked: 1, retried: 0 });
    expect(await fake.requestsTo(sending.path)).toHaveLength(0);
    expect(await deliveryRow(sending.id)).toMatchObject({ status: "pending", attempts: 1 });

    // The watchdog's re-sent message (overdue by the scheduler's clock) takes it over at once.
    const recovered = await claimedAgo(30_000);
    expect(await consumeDeliveries([{ ...recovered.job(recovered.id), recovered: true }])).toMatchObject({ acked: 1, retried: 0 });
    expect(await fake.requestsTo(recovered.path)).toHaveLength(1);
    expect(await deliveryRow(recovered.id)).toMatchObject({ status: "sent", attempts: 2 });

    const died = await claimedAgo(3 * 60_000);
    expect(await consumeDeliveries([died.job(died.id)])).toMatchObject({ acked: 1, retried: 0 });
    expect(await fake.requestsTo(died.path)).toHaveLength(1);
    expect(await deliveryRow(died.id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("drops a duplicate that arrives while a retry is scheduled, and holds back a retry that came early", async () => {
    const d = await webhookDelivery();
    await fake.script(d.path, [{ status: 500 }]);
    await consumeDeliveries([d.job(d.id)]);
    const duplicate = await consumeDeliveries([d.job(d.id)], { attempts: 1 });
    expect(duplicate).toMatchObject({ acked: 1, retried: 0 });
    const early = await consumeDeliveries([d.job(d.id)], { attempts: 2 });
    expect(early.retried).toBe(1);
    expect(early.delays[0]).toBeGreaterThan(50);
    expect(early.delays[0]).toBeLessThanOrEqual(60);
    expect(await fake.requestsTo(d.path)).toHaveLength(1);
    expect(await deliveryRow(d.id)).toMatchObject({ attempts: 1, status: "pending" });
  });

  it("gives up on a delivery whose attempts ran out without an answer, instead of a fifth attempt", async () => {
    const d = await webhookDelivery();
    await db().update(reportDeliveries).set({ attempts: 4, lastError: "The webhook endpoint answered 500" }).where(eq(reportDeliveries.id, d.id));
    expect(await consumeDeliveries([d.job(d.id)], { attempts: 3 })).toMatchObject({ acked: 1 });
    expect(await fake.requestsTo(d.path)).toHaveLength(0);
    expect(await deliveryRow(d.id)).toMatchObject({ status: "failed", attempts: 4, lastError: "The webhook endpoint answered 500" });
  });

  it("records an unreadable message as a dead letter and acks it", async () => {
    const body = { kind: "deliver", deliveryId: "", note: crypto.randomUUID() };
    expect(await consumeDeliveries([body])).toMatchObject({ acked: 1, retried: 0 });
    const rows = await db().select().from(deadLetters).where(eq(deadLetters.queue, "report-delivery"));
    const mine = rows.find((r) => r.body.includes(body.note));
    expect(mine?.reason).toMatch(/^Unreadable delivery message/);
  });

  it("lets the dead-letter consumer fail a pending delivery for good (and only a pending one)", async () => {
    const d = await deliveryFixture({
      recipients: [
        { type: "webhook", value: hookUrl() },
        { type: "webhook", value: hookUrl() },
      ],
    });
    const [pending, sent] = d.deliveryIds as [string, string];
    await consumeDeliveries([d.job(sent)]);
    expect(await failDeliveryForGood(env, pending, d.admin.organizationId, "Lost after 4 deliveries")).toBe(true);
    expect(await failDeliveryForGood(env, sent, d.admin.organizationId, "Lost")).toBe(false);
    expect(await failDeliveryForGood(env, pending, crypto.randomUUID(), "Lost")).toBe(false);
    expect(await deliveryRow(pending)).toMatchObject({ status: "failed", failureClass: "dead_lettered", lastError: "Lost after 4 deliveries" });
    expect(await deliveryRow(sent)).toMatchObject({ status: "sent" });
  });
});

describe("the creator's notice of a failed execution", () => {
  async function failedExecution() {
    const f = await deliveryFixture({ recipients: [] });
    await db()
      .update(reportExecutions)
      .set({ status: "failed", errorMessage: "D1_ERROR: the data source is down", completedAt: new Date(), fileKey: null })
      .where(eq(reportExecutions.id, f.executionId));
    return { ...f, job: { kind: "notify_execution_failed" as const, executionId: f.executionId, organizationId: f.admin.organizationId } };
  }

  it("is emailed once, however often its message arrives", async () => {
    const f = await failedExecution();
    expect(await consumeDeliveries([f.job])).toMatchObject({ acked: 1 });
    await consumeDeliveries([f.job, f.job], { attempts: 2 });
    const sent = await fake.requests(f.admin.email);
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]!.body);
    expect(body.subject).toBe(`Scheduled Report failed: ${f.reportName}`);
    expect(body.text).toContain("D1_ERROR: the data source is down");
    expect(sent[0]!.headers["idempotency-key"]).toMatch(new RegExp(`^execution_failed:${f.executionId}:\\d+$`));
    const rows = await db().select().from(notices).where(eq(notices.executionId, f.executionId));
    expect(rows).toMatchObject([{ kind: "execution_failed", status: "sent", recipient: f.admin.email, attempts: 1 }]);
  });

  it("is retried when the provider fails, and not sent for an execution that is no longer failed", async () => {
    const f = await failedExecution();
    await fake.script(f.admin.email, [{ status: 500 }]);
    expect(await consumeDeliveries([f.job])).toMatchObject({ retried: 1, delays: [60] });
    expect(await consumeDeliveries([f.job], { attempts: 2 })).toMatchObject({ acked: 1 });
    expect(await fake.requests(f.admin.email)).toHaveLength(2);
    expect((await db().select().from(notices).where(eq(notices.executionId, f.executionId)))[0]).toMatchObject({ status: "sent", attempts: 2 });

    const g = await failedExecution();
    await db().update(reportExecutions).set({ status: "pending" }).where(eq(reportExecutions.id, g.executionId));
    expect(await consumeDeliveries([g.job])).toMatchObject({ acked: 1 });
    expect(await fake.requests(g.admin.email)).toHaveLength(0);
  });
});
