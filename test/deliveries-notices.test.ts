import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, notices, outboxMessages, SYSTEM_ALERT_SCOPE } from "../src/db/schema";
import { newMember, unique } from "./support/api";
import { consumeDeliveries, db, deliveryFixture, fake } from "./support/delivery-factories";

async function insertAlert(organizationId: string) {
  const id = crypto.randomUUID();
  await db()
    .insert(alerts)
    .values({
      id,
      organizationId,
      rule: "failure_rate",
      windowStart: new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - Math.floor(Math.random() * 1e6) * 3600_000),
      severity: "critical",
      value: 0.4,
      threshold: 0.1,
      message: "40% of executions failed in the last hour",
      createdAt: new Date(),
    });
  return id;
}

describe("alert notices", () => {
  it("email each admin of the organization once, and nobody else", async () => {
    const f = await deliveryFixture({ recipients: [] });
    const second = await newMember(f.admin, "admin");
    const viewer = await newMember(f.admin, "viewer");
    const alertId = await insertAlert(f.admin.organizationId);
    const job = { kind: "notify_alert", alertId, organizationId: f.admin.organizationId };
    expect(await consumeDeliveries([job])).toMatchObject({ acked: 1 });
    await consumeDeliveries([job], { attempts: 2 });
    for (const admin of [f.admin, second]) {
      const sent = await fake.requests(admin.email);
      expect(sent).toHaveLength(1);
      expect(JSON.parse(sent[0]!.body).subject).toBe("[critical] Scheduled Reports alert: 40% of executions failed in the last hour");
    }
    expect(await fake.requests(viewer.email)).toHaveLength(0);
    expect(await db().select().from(notices).where(eq(notices.alertId, alertId))).toHaveLength(2);
  });

  it("send a system-wide alert to OPERATOR_EMAIL (kept in the outbox under local development)", async () => {
    const operator = `${unique("operator")}@example.com`;
    const alertId = await insertAlert(SYSTEM_ALERT_SCOPE);
    const job = { kind: "notify_alert", alertId, organizationId: SYSTEM_ALERT_SCOPE };
    expect(await consumeDeliveries([job], { env: { OPERATOR_EMAIL: operator, EMAIL_PROVIDER: "outbox" } })).toMatchObject({ acked: 1 });
    const kept = await db().select().from(outboxMessages).where(eq(outboxMessages.toAddress, operator));
    expect(kept).toMatchObject([{ organizationId: SYSTEM_ALERT_SCOPE, subject: expect.stringContaining("Scheduled Reports alert") }]);
    // Without an operator address there is nobody to tell, and nothing fails.
    expect(await consumeDeliveries([{ ...job, alertId: await insertAlert(SYSTEM_ALERT_SCOPE) }], { env: { OPERATOR_EMAIL: "" } })).toMatchObject({
      acked: 1,
      retried: 0,
    });
  });
});
