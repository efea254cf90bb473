import { JobError } from "../../errors";
import { bindValues, compileNamed } from "./named-params";
import type { DataSource } from "./types";

/** D1 reports an error in the SQL itself with these prefixes; anything else (a reset, an overload) is worth another attempt. */
const QUERY_ERROR = /SQLITE_ERROR|no such (table|column|function)|syntax error|SQLITE_AUTH|not authorized|readonly|SQLITE_READONLY|SQLITE_CONSTRAINT/i;

function withDeadline<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobError("timeout", `${what} did not answer within ${timeoutMs / 1000} s`, true)), timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * A D1 database as a report source. Queries go through a Sessions API session
 * ("first-unconstrained"), so that read replicas serve them where read replication is on, and the
 * primary keeps its capacity for the app's own writes. D1 has no read-only transaction: a report
 * query that writes is refused here before it runs (only a single SELECT or WITH is accepted).
 */
export function d1Source(name: string, db: D1Database): DataSource {
  return {
    kind: "d1",
    name,
    async query({ sql, values }, { timeoutMs }) {
      if (!/^\s*(select|with)\b/i.test(sql) || /;\s*\S/.test(sql)) {
        throw new JobError("query_error", "A report query must be a single SELECT (or WITH … SELECT) statement", false);
      }
      const compiled = compileNamed(sql, "d1");
      const session = db.withSession("first-unconstrained");
      try {
        const result = await withDeadline(
          session
            .prepare(compiled.text)
            .bind(...bindValues(compiled, values))
            .all<Record<string, unknown>>(),
          timeoutMs,
          `The ${name} database`,
        );
        return result.results;
      } catch (err) {
        if (err instanceof JobError) throw err;
        const message = err instanceof Error ? err.message : String(err);
        throw new JobError(QUERY_ERROR.test(message) ? "query_error" : "database", `${name}: ${message}`, !QUERY_ERROR.test(message), { cause: err });
      }
    },
  };
}
