import { type Counters, recordD1 } from "./counters";

/*
 * Counting D1 round trips and the rows D1 reports in each result's `meta`. The public methods cannot
 * do it alone: `raw()` (what drizzle's selects use) and `first()` drop `meta`. Every query method of
 * a D1 session ends in one of two steps of the session object, `_send` (one HTTP exchange, returning
 * the results with their `meta`) or `_queryOrThrow` (the same over JS RPC, behind the
 * `d1_binding_jsrpc` flag). The binding keeps its own primary session private, so the counted
 * database runs every prepare() and batch() in a session of its own, `first-primary` (locally the
 * same single database), whose two steps are observed. The binding itself is never modified.
 */

type D1Answer = { meta?: { rows_read?: number; rows_written?: number } };
type SessionSteps = {
  _send: (endpoint: string, query: string | string[], ...rest: unknown[]) => Promise<D1Answer | D1Answer[]>;
  _queryOrThrow: (request: { queries: { sql: string }[] }, ...rest: unknown[]) => Promise<D1Answer[]>;
};

const rowsOf = (answers: D1Answer | D1Answer[]) => {
  const list = Array.isArray(answers) ? answers : [answers];
  return {
    rowsRead: list.reduce((n, a) => n + (a?.meta?.rows_read ?? 0), 0),
    rowsWritten: list.reduce((n, a) => n + (a?.meta?.rows_written ?? 0), 0),
  };
};

/** Makes a session (one this module asked for, never the binding's own) count its exchanges with D1. */
function counting(session: D1DatabaseSession, count: () => Counters): D1DatabaseSession {
  const steps = session as unknown as Partial<SessionSteps>;
  const { _send: send, _queryOrThrow: query } = steps;
  if (typeof send !== "function" || typeof query !== "function") {
    throw new Error("BENCH_COUNTERS: this runtime's D1 sessions have no step to observe; round trips cannot be counted");
  }
  steps._send = async function (this: unknown, endpoint, sql, ...rest) {
    const answers = await send.call(this, endpoint, sql, ...rest);
    recordD1(count(), { sql: Array.isArray(sql) ? sql : [sql], ...rowsOf(answers) });
    return answers;
  };
  steps._queryOrThrow = async function (this: unknown, request, ...rest) {
    const answers = await query.call(this, request, ...rest);
    recordD1(count(), { sql: request.queries.map((q) => q.sql), ...rowsOf(answers) });
    return answers;
  };
  return session;
}

/** The D1 binding with every round trip counted (drizzle, read sessions and batches included). */
export function countedD1(db: D1Database, count: () => Counters): D1Database {
  // Fails at once (not at the first query) if this runtime's sessions cannot be observed.
  counting(db.withSession("first-primary"), count);
  const primary = () => counting(db.withSession("first-primary"), count);
  const counted: Pick<D1Database, "prepare" | "batch" | "exec" | "withSession"> = {
    prepare: (sql) => primary().prepare(sql),
    batch: (statements) => primary().batch(statements),
    withSession: (constraintOrBookmark) => counting(db.withSession(constraintOrBookmark), count),
    // Not used by the app's background work; one round trip, whose rows exec() does not report.
    exec: async (sql) => {
      const result = await db.exec(sql);
      recordD1(count(), { sql: [sql], rowsRead: 0, rowsWritten: 0 });
      return result;
    },
  };
  return new Proxy(db, {
    get(target, prop) {
      if (Object.hasOwn(counted, prop)) return counted[prop as keyof typeof counted];
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (...args: unknown[]) => Reflect.apply(value as (...a: unknown[]) => unknown, target, args) : value;
    },
  });
}
