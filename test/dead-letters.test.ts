import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reportDeliveries } from "../src/db/schema";
import { api, expectError, newMember, newOrganization } from "./support/api";
import { consume, db, executionById, generationJob, insertDelivery, insertExecution, reportWithData } from "./support/pipeline";

describe("dead letters", () => {
  it("lists the organization's dead letters to its admins, and replays a lost run once", async () => {
    const { admin, report } = await reportWithData({ format: "csv", recipients: [] });
    const execution = await insertExecution(admin, report.id, { status: "pending" });
    await consume("report-generation-dlq", [generationJob(execution)]);
    expect((await executionById(execution.id)).status).toBe("failed");

    const listed = await api("/api/dead-letters", { token: admin.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const letter = listed.body.items[0];
    expect(letter).toMatchObject({ queue: "report-generation-dlq", executionId: execution.id, replayedAt: null });

    const viewer = await newMember(admin, "viewer");
    expectError(await api("/api/dead-letters", { token: viewer.token }), 403, "forbidden");
    const stranger = await newOrganization();
    expect((await api("/api/dead-letters", { token: stranger.token })).body.items).toEqual([]);
    expectError(await api(`/api/dead-letters/${letter.id}/replay`, { method: "POST", token: stranger.token }), 404, "not_found");

    const replayed = await api(`/api/dead-letters/${letter.id}/replay`, { method: "POST", token: admin.token });
    expect(replayed.status).toBe(202);
    expect(replayed.body.replayedAt).not.toBeNull();
    const again = await executionById(execution.id);
    expect(["pending", "running", "completed"]).toContain(again.status);
    expect(again.trigger).toBe("retry");
    expectError(await api(`/api/dead-letters/${letter.id}/replay`, { method: "POST", token: admin.token }), 409, "conflict");
  });

  it("replays a lost delivery: it is pending again with a fresh set of attempts", async () => {
    const { admin, report } = await reportWithData({ format: "csv", recipients: [{ type: "email", value: "ops@example.com" }] });
    const execution = await insertExecution(admin, report.id, { status: "completed" });
    const delivery = await insertDelivery(admin, execution.id);
    // As it stands after its last retry: four attempts spent, with the error they ended on.
    await db().update(reportDeliveries).set({ attempts: 4, lastError: "HTTP 503" }).where(eq(reportDeliveries.id, delivery!.id));
    await consume("report-delivery-dlq", [{ kind: "deliver", deliveryId: delivery!.id, executionId: execution.id, organizationId: admin.organizationId }]);
    const letter = (await api("/api/dead-letters", { token: admin.token })).body.items.find((d: any) => d.deliveryId === delivery!.id);
    expect(letter).toBeTruthy();
    const replayed = await api(`/api/dead-letters/${letter.id}/replay`, { method: "POST", token: admin.token });
    expect(replayed.status).toBe(202);
    const [row] = await db().select().from(reportDeliveries).where(eq(reportDeliveries.id, delivery!.id));
    expect(row!.status === "pending" || row!.status === "sent").toBe(true);
    expect(row!.failureClass === null || row!.status === "sent").toBe(true);
    // A fresh round: its count starts again (none yet, or the one that sent it), the old error is gone.
    expect(row!.attempts).toBe(row!.status === "sent" ? 1 : 0);
    if (row!.status === "pending") expect(row!.lastError).toBeNull();
  });
});
