import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { applyRetention } from "../src/jobs/retention/apply-retention";
import { archiveAuditEvents } from "../src/jobs/retention/archive-audit";
import { auditArchiveKey } from "../src/storage/keys";
import { api, expectError, newMember, newOrganization, type TestUser } from "./support/api";
import { createReport } from "./support/factories";
import { insertDelivery, insertExecution } from "./support/pipeline";

const DAY = 86_400_000;
const now = new Date("2027-06-01T03:00:00Z");
const daysBefore = (d: number) => new Date(now.getTime() - d * DAY);

type ArchivedEvent = { id: string; type: string; actorId: string | null; targetType: string | null; targetId: string | null; data: unknown; createdAt: string };

async function insertAttempt(user: TestUser, deliveryId: string, startedAt: Date) {
  const id = crypto.randomUUID();
  await env.DB.prepare(
    `insert into delivery_attempts (id, organization_id, delivery_id, attempt, started_at, finished_at, outcome, error, link_expires_at)
     values (?1, ?2, ?3, 1, ?4, ?4, 'failed', 'HTTP 500', ?4)`,
  )
    .bind(id, user.organizationId, deliveryId, startedAt.getTime())
    .run();
  return id;
}

async function attemptIds(deliveryId: string) {
  const { results } = await env.DB.prepare("select id from delivery_attempts where delivery_id = ? order by started_at").bind(deliveryId).all<{ id: string }>();
  return results.map((r) => r.id);
}

/** An audit event written at `at`, as the API lists it. */
async function insertEvent(user: TestUser, at: Date, type = "scheduled_report.updated"): Promise<ArchivedEvent> {
  const event = {
    id: crypto.randomUUID(),
    type,
    actorId: user.userId,
    targetType: "scheduled_report",
    targetId: "r1",
    data: { at: at.toISOString(), note: "line\nbreak" },
  };
  await env.DB.prepare(
    "insert into audit_events (id, organization_id, actor_id, type, target_type, target_id, data, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(event.id, user.organizationId, event.actorId, event.type, event.targetType, event.targetId, JSON.stringify(event.data), at.getTime())
    .run();
  return { ...event, createdAt: at.toISOString() };
}

async function eventIdsInD1(user: TestUser) {
  const { results } = await env.DB.prepare("select id from audit_events where organization_id = ?").bind(user.organizationId).all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}

async function archived(user: TestUser, day: string): Promise<ArchivedEvent[]> {
  const object = await env.REPORTS.get(auditArchiveKey(user.organizationId, day));
  if (!object) return [];
  return (await object.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

const byTime = (a: ArchivedEvent, b: ArchivedEvent) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1);

describe("retention of delivery attempts", () => {
  it("deletes attempts past DELIVERY_ATTEMPT_RETENTION_DAYS, not before, and the delivery keeps its outcome", async () => {
    const a = await newOrganization();
    const report = await createReport(a);
    const run = await insertExecution(a, report.id, { status: "completed", createdAt: daysBefore(40), completedAt: daysBefore(40) });
    const delivery = await insertDelivery(a, run.id);
    await env.DB.prepare("update report_deliveries set status = 'failed', attempts = 3, last_error = 'HTTP 500' where id = ?").bind(delivery.id).run();
    await insertAttempt(a, delivery.id, daysBefore(40));
    await insertAttempt(a, delivery.id, new Date(daysBefore(30).getTime() - 1));
    const young = await insertAttempt(a, delivery.id, daysBefore(29));
    // A delivery still pending keeps its attempts, however old: its next attempt reads the last one.
    const pending = await insertDelivery(a, run.id, { type: "email", value: "pending@example.com" });
    const pendingAttempt = await insertAttempt(a, pending.id, daysBefore(60));

    expect((await applyRetention(env, now)).deliveryAttemptsPruned).toBeGreaterThanOrEqual(2);
    expect(await attemptIds(delivery.id)).toEqual([young]);
    expect(await attemptIds(pending.id)).toEqual([pendingAttempt]);
    const got = await api(`/api/deliveries/${delivery.id}`, { token: a.token });
    expect(got.body).toMatchObject({ status: "failed", attempts: 3, lastError: "HTTP 500" });
    expect(got.body.history).toHaveLength(1);

    // The period is the variable's: a week prunes the 29-day-old attempt too.
    await applyRetention({ ...env, DELIVERY_ATTEMPT_RETENTION_DAYS: "7" } as Env, now);
    expect(await attemptIds(delivery.id)).toEqual([]);
  });

  it("takes an execution's deliveries and their attempts with it when the execution is pruned", async () => {
    const a = await newOrganization();
    const report = await createReport(a);
    const old = await insertExecution(a, report.id, { status: "failed", createdAt: daysBefore(500), completedAt: daysBefore(500) });
    const delivery = await insertDelivery(a, old.id);
    await env.DB.prepare("update report_deliveries set status = 'failed' where id = ?").bind(delivery.id).run();
    // Younger than the attempts' period, so only the foreign key's cascade can remove it.
    await insertAttempt(a, delivery.id, daysBefore(1));
    await applyRetention(env, now);
    const left = await env.DB.prepare(
      "select (select count(*) from report_deliveries where id = ?1) as deliveries, (select count(*) from delivery_attempts where delivery_id = ?1) as attempts",
    )
      .bind(delivery.id)
      .first();
    expect(left).toEqual({ deliveries: 0, attempts: 0 });
  });
});

describe("retention of audit events", () => {
  it("archives each organization's events past AUDIT_RETENTION_DAYS to R2 by UTC day, then deletes exactly those", async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    const dayOne = [await insertEvent(a, new Date("2026-04-10T08:00:00Z")), await insertEvent(a, new Date("2026-04-10T23:59:59.999Z"), "user.updated")];
    const dayTwo = [await insertEvent(a, new Date("2026-05-31T23:59:59Z"))];
    const ofB = [await insertEvent(b, new Date("2026-04-10T12:00:00Z"))];
    // Past its 365 days at 03:00, but its day (2026-06-01) is not over yet: it waits for tomorrow's run.
    const lateInDay = await insertEvent(a, new Date("2026-06-01T01:00:00Z"));
    const young = await insertEvent(a, new Date("2026-06-02T00:00:00Z"));

    const result = await applyRetention(env, now);
    expect(result.auditEventsArchived).toBeGreaterThanOrEqual(4);
    expect(await archived(a, "2026-04-10")).toEqual(dayOne);
    expect(await archived(a, "2026-05-31")).toEqual(dayTwo);
    expect(await archived(b, "2026-04-10")).toEqual(ofB);
    expect(await archived(a, "2026-06-01")).toEqual([]);
    const left = await eventIdsInD1(a);
    for (const e of [...dayOne, ...dayTwo]) expect(left.has(e.id)).toBe(false);
    expect(left.has(lateInDay.id)).toBe(true);
    expect(left.has(young.id)).toBe(true);
    expect((await eventIdsInD1(b)).has(ofB[0]!.id)).toBe(false);

    await applyRetention(env, new Date(now.getTime() + DAY));
    expect(await archived(a, "2026-06-01")).toEqual([lateInDay]);
    expect((await eventIdsInD1(a)).has(young.id)).toBe(true);
  });

  it("archives an event exactly once when a run dies between the R2 write and the delete, and when it runs again", async () => {
    const a = await newOrganization();
    const events = [await insertEvent(a, new Date("2025-03-03T10:00:00Z")), await insertEvent(a, new Date("2025-03-03T11:00:00Z"))];
    // The run "dies" right after writing this organization's object: nothing after the write happens.
    const dying = {
      ...env,
      REPORTS: new Proxy(env.REPORTS, {
        get(target, prop) {
          if (prop === "put") {
            return async (...args: Parameters<R2Bucket["put"]>) => {
              await target.put(...args);
              if (args[0].includes(a.organizationId)) throw new Error("the Worker was evicted");
            };
          }
          const value = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }),
    } as Env;
    await expect(archiveAuditEvents(dying, now)).rejects.toThrow("evicted");
    expect(await archived(a, "2025-03-03")).toEqual(events);
    expect((await eventIdsInD1(a)).has(events[0]!.id)).toBe(true);

    await applyRetention(env, now);
    expect(await archived(a, "2025-03-03")).toEqual(events);
    expect((await eventIdsInD1(a)).has(events[0]!.id)).toBe(false);

    // Again: nothing left to archive, the object unchanged. An event of that day written late joins it.
    await applyRetention(env, now);
    expect(await archived(a, "2025-03-03")).toEqual(events);
    const late = await insertEvent(a, new Date("2025-03-03T10:30:00Z"));
    await applyRetention(env, now);
    expect(await archived(a, "2025-03-03")).toEqual([events[0], late, events[1]]);
  });

  it("stops at a run's limit and finishes the day on the next run, each event once", async () => {
    const a = await newOrganization();
    // Older than anything else in this file, so the limited run reaches these first.
    const events = [
      await insertEvent(a, new Date("2001-01-01T01:00:00Z")),
      await insertEvent(a, new Date("2001-01-01T02:00:00Z")),
      await insertEvent(a, new Date("2001-01-01T03:00:00Z")),
    ].sort(byTime);
    expect(await archiveAuditEvents(env, now, { events: 2, archives: 10 })).toEqual({
      auditEventsArchived: 2,
      auditArchivesWritten: 1,
      auditFinished: false,
    });
    expect(await archived(a, "2001-01-01")).toEqual(events.slice(0, 2));
    expect([...(await eventIdsInD1(a))].filter((id) => events.some((e) => e.id === id))).toEqual([events[2]!.id]);
    expect((await archiveAuditEvents(env, now)).auditFinished).toBe(true);
    expect(await archived(a, "2001-01-01")).toEqual(events);
  });
});

describe("the audit archive API", () => {
  async function archiveOf(user: TestUser, day: string, events: number) {
    const lines = Array.from({ length: events }, (_, i) => JSON.stringify({ id: `${day}-${i}`, type: "auth.login" })).join("\n");
    await env.REPORTS.put(auditArchiveKey(user.organizationId, day), `${lines}\n`, { customMetadata: { events: String(events) } });
    return `${lines}\n`;
  }

  it("lists the organization's archives oldest first, page by page, and downloads one as NDJSON", async () => {
    const a = await newOrganization();
    const body = await archiveOf(a, "2025-01-01", 2);
    await archiveOf(a, "2025-01-02", 1);
    await archiveOf(a, "2025-02-01", 3);

    const first = await api("/api/audit/archives?limit=2", { token: a.token });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      { day: "2025-01-01", bytes: body.length, events: 2 },
      { day: "2025-01-02", bytes: expect.any(Number), events: 1 },
    ]);
    const second = await api(`/api/audit/archives?limit=2&cursor=${first.body.nextCursor}`, { token: a.token });
    expect(second.body).toEqual({ items: [{ day: "2025-02-01", bytes: expect.any(Number), events: 3 }], nextCursor: null });

    const res = await SELF.fetch("http://127.0.0.1:8787/api/audit/archives/2025-01-01", { headers: { authorization: `Bearer ${a.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="audit-2025-01-01.ndjson"');
    // Read as bytes: workerd warns on text() of a type it does not know as text.
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe(body);
    const { results } = await env.DB.prepare("select actor_id, target_id from audit_events where organization_id = ? and type = 'audit_archive.downloaded'")
      .bind(a.organizationId)
      .all();
    expect(results).toEqual([{ actor_id: a.userId, target_id: "2025-01-01" }]);
  });

  it("is for admins of the organization only, and refuses bad days and cursors", async () => {
    const a = await newOrganization();
    await archiveOf(a, "2025-01-01", 1);
    const other = await newOrganization();
    expect((await api("/api/audit/archives", { token: other.token })).body).toEqual({ items: [], nextCursor: null });
    expectError(await api("/api/audit/archives/2025-01-01", { token: other.token }), 404, "not_found");
    for (const role of ["viewer", "editor"] as const) {
      const member = await newMember(a, role);
      expectError(await api("/api/audit/archives", { token: member.token }), 403, "forbidden");
      expectError(await api("/api/audit/archives/2025-01-01", { token: member.token }), 403, "forbidden");
    }
    expectError(await api("/api/audit/archives/2025-01-02", { token: a.token }), 404, "not_found");
    for (const day of ["2025-02-30", "2025-1-01", "..%2F..%2Fx"])
      expectError(await api(`/api/audit/archives/${day}`, { token: a.token }), 400, "validation_failed");
    expectError(await api("/api/audit/archives?cursor=not-a-day", { token: a.token }), 400, "validation_failed");
  });
});
