import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, newOrganization, requestViolations, webhookViolations } from "./support/api";
import { consumeDeliveries, deliveryFixture, fake, hookUrl } from "./support/delivery-factories";
import { createReport } from "./support/factories";

/*
 * Every answer the suite receives is checked against the OpenAPI document by test/support/api.ts.
 * These tests check the checker (it does refuse what the document does not describe), and the parts
 * of the contract that are not answers: request bodies a client builds from the document, and the
 * webhooks a receiver gets.
 */
describe("the OpenAPI document is the contract", () => {
  it("refuses an answer with an undocumented status, content type or field", async () => {
    const check = async (exchange: object) => {
      const res = await fetch(`${env.TEST_CONTRACT_URL}/check`, { method: "POST", body: JSON.stringify(exchange) });
      return ((await res.json()) as { violations: string[] }).violations;
    };
    const health = { method: "GET", path: "/api/health", contentType: "application/json" };
    expect(await check({ ...health, status: 200, body: '{"ok":true}' })).toEqual([]);
    expect(await check({ ...health, status: 200, body: '{"ok":true,"version":"1"}' })).toEqual([expect.stringContaining("version")]);
    expect(await check({ ...health, status: 418, body: "{}" })).toEqual([expect.stringContaining("418 is not documented")]);
    expect(await check({ ...health, status: 200, contentType: "text/html", body: "<p>" })).toEqual([expect.stringContaining("text/html")]);
  });

  it("describes the export as a valid apply document: every exported report satisfies ReportAsCode", async () => {
    const admin = await newOrganization();
    await createReport(admin, { key: "contract-keyed" });
    await createReport(admin);
    const exported = await api("/api/scheduled-reports/export", { token: admin.token });
    expect(exported.status).toBe(200);
    // Reports without a key are exported with one (schedules as code), or the document would refuse them.
    const document = { reports: exported.body.reports.map((r: { key: string | null }, i: number) => ({ ...r, key: r.key ?? `contract-${i}` })) };
    expect(await requestViolations("POST", "/api/scheduled-reports/apply", document)).toEqual([]);
    const applied = await api("/api/scheduled-reports/apply?dryRun=true", { token: admin.token, body: document });
    expect(applied.status).toBe(200);
  });

  it("describes report.generated as a receiver gets it, from a run and from Send a test", async () => {
    const url = hookUrl();
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    expect(await consumeDeliveries([f.job(f.deliveryIds[0]!)])).toMatchObject({ acked: 1 });
    const tested = await api("/api/recipients/test", { token: f.admin.token, body: { type: "webhook", value: url } });
    expect(tested.status).toBe(200);
    const received = await fake.requests(new URL(url).pathname);
    expect(received).toHaveLength(2);
    for (const request of received) {
      const body = JSON.parse(request.body);
      expect(body.event).toBe("report.generated");
      expect(await webhookViolations("report.generated", body)).toEqual([]);
    }
    expect(await webhookViolations("report.generated", { ...JSON.parse(received[0]!.body), surprise: 1 })).toEqual([expect.stringContaining("additional")]);
  });
});
