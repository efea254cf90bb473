import { createExecutionContext, createMessageBatch, env, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ConfigError, config } from "../src/config";
import { createDb } from "../src/db/client";
import { organizations } from "../src/db/schema";
import worker from "../src/index";
import { countedEnv, instrumented } from "../src/lib/instrument";
import { counters, newCounters, normalizeSql, resetCounters, snapshot } from "../src/lib/instrument/counters";
import { createOrganization } from "./support/demo-org";
import { recordingQueues } from "./support/queues";

const countingEnv = () => ({ ...env, BENCH_COUNTERS: "true", LOCAL_DEV: "true" }) as Env;

/** Bindings counting into counters of their own (no state shared with other tests). */
function counted(base: Env = env) {
  const c = newCounters();
  return { c, env: countedEnv(base, () => c) };
}

describe("counting D1", () => {
  it("counts one round trip per call with the rows D1's meta reports, raw() and first() included", async () => {
    const org = await createOrganization();
    const sql = "select id, name from organizations where id = ?1";
    const direct = await env.DB.prepare(sql).bind(org).all();
    const { c, env: e } = counted();

    expect(await e.DB.prepare(sql).bind(org).raw()).toEqual([[org, "Test org"]]);
    expect(await e.DB.prepare(sql).bind(org).first("name")).toBe("Test org");

    expect(c.d1.roundTrips).toBe(2);
    expect(c.d1.statements).toBe(2);
    expect(direct.meta.rows_read).toBeGreaterThan(0);
    expect(c.d1.rowsRead).toBe(2 * direct.meta.rows_read);
    expect(c.d1.rowsWritten).toBe(0);
    expect(c.d1.bySql.get("select id, name from organizations where id = ?")).toMatchObject({ roundTrips: 2, statements: 2 });
  });

  it("counts writes, a batch as one round trip, read sessions, and keeps drizzle working", async () => {
    const org = await createOrganization();
    const { c, env: e } = counted();
    const db = createDb(e.DB);

    const [row] = await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, org));
    expect(row).toEqual({ id: org, name: "Test org" });
    const update = await e.DB.prepare("update organizations set name = 'Renamed' where id = ?1").bind(org).run();
    await db.batch([
      db.update(organizations).set({ name: "Again" }).where(eq(organizations.id, org)),
      db.select().from(organizations).where(eq(organizations.id, org)),
    ]);
    const session = e.DB.withSession("first-unconstrained");
    expect(await session.prepare("select name from organizations where id = ?1").bind(org).first("name")).toBe("Again");

    expect(c.d1.roundTrips).toBe(4);
    expect(c.d1.statements).toBe(5);
    expect(update.meta.rows_written).toBeGreaterThan(0);
    expect(c.d1.rowsWritten).toBeGreaterThanOrEqual(2 * update.meta.rows_written);
    const keys = [...c.d1.bySql.keys()];
    expect(keys.filter((k) => k.startsWith('batch(2): update "organizations" set'))).toHaveLength(1);
    expect(keys).toContain("update organizations set name = ? where id = ?");
  });

  it("groups statements by their text without literals or parameter numbers", () => {
    expect(normalizeSql("select  *\n from t1 where a = 'x''y' and b = ?2 and c = 42")).toBe("select * from t1 where a = ? and b = ? and c = ?");
  });
});

describe("counting R2, queues and Durable Objects", () => {
  it("counts R2 operations by the class Cloudflare bills them in", async () => {
    const { c, env: e } = counted();
    const key = `instrument/${crypto.randomUUID()}`;
    await e.REPORTS.put(`${key}/a`, "hello");
    expect(await (await e.REPORTS.get(`${key}/a`))?.text()).toBe("hello");
    expect(await e.REPORTS.head(`${key}/missing`)).toBeNull();
    expect((await e.REPORTS.list({ prefix: key })).objects).toHaveLength(1);
    const upload = await e.REPORTS.createMultipartUpload(`${key}/b`);
    const part = await upload.uploadPart(1, "part one");
    await upload.complete([part]);
    await e.REPORTS.delete([`${key}/a`, `${key}/b`]);

    expect(c.r2).toEqual({
      classA: 5,
      classB: 2,
      free: 1,
      byOperation: { put: 1, get: 1, head: 1, list: 1, createMultipartUpload: 1, uploadPart: 1, complete: 1, delete: 1 },
    });
  });

  it("counts queue sends and messages, and the messages still go out", async () => {
    const queues = recordingQueues();
    const { c, env: e } = counted(queues.env);
    await e.GENERATION_QUEUE.send({ kind: "one" });
    await e.DELIVERY_QUEUE.sendBatch([{ body: { kind: "two" } }, { body: { kind: "three" } }]);

    expect(queues.sent).toEqual([{ kind: "one" }, { kind: "two" }, { kind: "three" }]);
    expect(c.queuesSent).toEqual({
      GENERATION_QUEUE: { send: 1, sendBatch: 0, messages: 1, operations: 1 },
      DELIVERY_QUEUE: { send: 0, sendBatch: 1, messages: 2, operations: 2 },
    });
  });

  it("counts every stub method call as one Durable Object request", async () => {
    const { c, env: e } = counted();
    const stub = e.REPORT_LOCK.get(e.REPORT_LOCK.idFromName(`instrument-${crypto.randomUUID()}`));
    expect(await stub.current()).toBeNull();
    expect(await stub.claim("exec-1", 0, 1, 60_000)).toEqual({ outcome: "claimed" });
    expect(await stub.release("exec-1")).toBe(true);

    expect(c.durableObjects).toEqual({ REPORT_LOCK: { requests: 3, byMethod: { current: 1, claim: 1, release: 1 } } });
  });
});

describe("the counted Worker", () => {
  it("is off by default: the handlers get the runtime's env itself", () => {
    expect(env.BENCH_COUNTERS).toBe("false");
    expect(config(env).benchCounters).toBe(false);
    // Compared by identity only: matchers probe bindings' members, which RPC stubs answer remotely.
    expect(instrumented(env) === env).toBe(true);
  });

  it("refuses BENCH_COUNTERS outside local development", () => {
    expect(() => config({ ...env, BENCH_COUNTERS: "true", LOCAL_DEV: "false" } as Env)).toThrow(ConfigError);
  });

  it("counts queue batches, the messages read and those retried, and serves the counters locally", async () => {
    const e = countingEnv();
    const once = instrumented(e);
    expect(once === e).toBe(false);
    expect(instrumented(e) === once).toBe(true);
    resetCounters();
    // Two unreadable delivery messages: each is recorded as a dead letter and acknowledged.
    const batch = createMessageBatch("report-delivery", [
      { id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: { kind: "nonsense" } },
      { id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: { kind: "nonsense" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<unknown>, e);
    await waitOnExecutionContext(ctx);

    const seen = snapshot(counters());
    expect(seen.invocations.queue).toBe(1);
    expect(seen.queues.consumed["report-delivery"]).toMatchObject({ batches: 1, messages: 2, retried: 0, largestBatch: 2 });
    expect(seen.queues.operations).toMatchObject({ read: 2, deleted: 2 });
    // Two dead-letter inserts and the consumer's heartbeat.
    expect(seen.d1.roundTrips).toBe(3);

    const res = await worker.fetch(new Request("http://127.0.0.1/api/dev/counters"), e, createExecutionContext());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: true, invocations: { fetch: 0, queue: 1 }, d1: { roundTrips: 3 } });
    const reset = await worker.fetch(new Request("http://127.0.0.1/api/dev/counters/reset", { method: "POST" }), e, createExecutionContext());
    expect(reset.status).toBe(200);
    expect(snapshot(counters()).d1.roundTrips).toBe(0);
  });

  it("has no counters routes outside local development", async () => {
    const res = await worker.fetch(
      new Request("http://127.0.0.1/api/dev/counters"),
      { ...env, LOCAL_DEV: "false", APP_URL: "https://reports.example.com" } as Env,
      createExecutionContext(),
    );
    expect(res.status).toBe(404);
  });
});
