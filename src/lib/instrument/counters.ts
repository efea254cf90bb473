/*
 * What the counting proxies (BENCH_COUNTERS, local benchmarks only) have seen since the last reset:
 * the billable operations of each binding, counted on the caller's side, as Cloudflare bills them.
 * Kept in module memory: one set per isolate, read and reset through the local-only dev routes.
 */

type SqlCount = { roundTrips: number; statements: number; rowsRead: number; rowsWritten: number };
type QueueConsumed = { batches: number; messages: number; retried: number; wallMs: number; largestBatch: number };

export type Counters = ReturnType<typeof newCounters>;

export function newCounters(now = Date.now()) {
  return {
    since: now,
    invocations: { fetch: 0, scheduled: 0, queue: 0, scheduledWallMs: 0 },
    d1: {
      /** One HTTP exchange with D1: a prepare()…run/all/first/raw, a batch(), an exec(). */
      roundTrips: 0,
      statements: 0,
      rowsRead: 0,
      rowsWritten: 0,
      bySql: new Map<string, SqlCount>(),
    },
    /** Per producer binding: calls and messages sent, and the 64 KB operations their writes bill. */
    queuesSent: {} as Record<string, { send: number; sendBatch: number; messages: number; operations: number }>,
    /** Per queue: batches handed to the consumer, messages read, messages it asked to retry. */
    queuesConsumed: {} as Record<string, QueueConsumed>,
    r2: { classA: 0, classB: 0, free: 0, byOperation: {} as Record<string, number> },
    /** Per namespace binding: every stub method call or fetch is one billed request. */
    durableObjects: {} as Record<string, { requests: number; byMethod: Record<string, number> }>,
    browser: { requests: 0 },
  };
}

let current = newCounters();

/** The isolate's counters (what the instrumented bindings add to). */
export const counters = () => current;

export function resetCounters(now = Date.now()) {
  current = newCounters(now);
  return current;
}

/** SQL with its literals and parameter numbers taken out, so that the same statement groups together. */
export function normalizeSql(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "?")
    .replace(/\?\d+/g, "?")
    .replace(/\b\d+\b/g, "?")
    .replace(/\s+/g, " ")
    .trim();
}

export type D1Exchange = { sql: string[]; rowsRead: number; rowsWritten: number };

/** One round trip: its statements (a batch holds several) and the rows D1's `meta` says it read and wrote. */
export function recordD1(c: Counters, exchange: D1Exchange) {
  const d1 = c.d1;
  d1.roundTrips++;
  d1.statements += exchange.sql.length;
  d1.rowsRead += exchange.rowsRead;
  d1.rowsWritten += exchange.rowsWritten;
  const normalized = exchange.sql.map(normalizeSql);
  const key = normalized.length === 1 ? normalized[0]! : `batch(${normalized.length}): ${normalized.join(" ; ")}`;
  const entry = d1.bySql.get(key) ?? { roundTrips: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
  entry.roundTrips++;
  entry.statements += exchange.sql.length;
  entry.rowsRead += exchange.rowsRead;
  entry.rowsWritten += exchange.rowsWritten;
  d1.bySql.set(key, entry);
}

export function recordQueueConsumed(c: Counters, queue: string, batch: { messages: number; retried: number; wallMs: number }) {
  c.queuesConsumed[queue] ??= { batches: 0, messages: 0, retried: 0, wallMs: 0, largestBatch: 0 };
  const q = c.queuesConsumed[queue];
  q.batches++;
  q.messages += batch.messages;
  q.retried += batch.retried;
  q.wallMs += batch.wallMs;
  q.largestBatch = Math.max(q.largestBatch, batch.messages);
}

/** A JSON view: totals, and the statements by round trips (most first), `top` of them. */
export function snapshot(c: Counters, top = 50) {
  const statements = [...c.d1.bySql.entries()]
    .map(([sql, n]) => ({ sql, ...n }))
    .sort((a, b) => b.roundTrips - a.roundTrips || b.rowsRead + b.rowsWritten - (a.rowsRead + a.rowsWritten));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const consumed = Object.values(c.queuesConsumed);
  const queueOperations = {
    written: sum(Object.values(c.queuesSent).map((q) => q.operations)),
    read: sum(consumed.map((q) => q.messages)),
    // A message the consumer did not ask to retry is acknowledged (explicitly or with its batch): deleted.
    deleted: sum(consumed.map((q) => q.messages - q.retried)),
  };
  return {
    since: c.since,
    invocations: c.invocations,
    d1: {
      roundTrips: c.d1.roundTrips,
      statements: c.d1.statements,
      rowsRead: c.d1.rowsRead,
      rowsWritten: c.d1.rowsWritten,
      distinctStatements: statements.length,
      top: statements.slice(0, top),
    },
    queues: {
      sent: c.queuesSent,
      consumed: c.queuesConsumed,
      operations: { ...queueOperations, total: queueOperations.written + queueOperations.read + queueOperations.deleted },
    },
    r2: c.r2,
    durableObjects: { requests: sum(Object.values(c.durableObjects).map((d) => d.requests)), byNamespace: c.durableObjects },
    browser: c.browser,
  };
}

export type CountersSnapshot = ReturnType<typeof snapshot>;
