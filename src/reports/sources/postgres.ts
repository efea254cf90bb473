import pg from "pg";
import { JobError } from "../../errors";
import { bindValues, compileNamed } from "./named-params";
import type { DataSource } from "./types";

/*
 * Postgres through Hyperdrive (`[[hyperdrive]]` in wrangler.toml, the `pg` driver under
 * nodejs_compat). Every query runs in a READ ONLY transaction with a statement_timeout, so a report
 * can neither write nor hold the database; a deadline on our side also stops a server that does not
 * enforce the timeout. Each page is its own short transaction on a pooled connection (Hyperdrive
 * keeps the pool), so nothing is held between pages.
 */

/** SQLSTATE classes that mean the SQL itself is wrong or not allowed: another attempt cannot help. */
const FINAL_SQLSTATE = /^(42|22|25|2B|0A|28)/; // syntax/undefined object, data exception, read-only transaction, dependents, unsupported, authorization
const TIMEOUT_SQLSTATE = new Set(["57014"]); // query_canceled (statement_timeout)

/** Dates stay "YYYY-MM-DD" strings, counts and sums become numbers: the shapes report columns expect. */
const TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 1082) return (v: string) => v; // date
    if (oid === 20 || oid === 1700) return (v: string) => Number(v); // int8, numeric
    return pg.types.getTypeParser(oid, format as "text");
  },
};

function failureOf(name: string, err: unknown, timeoutMs: number): JobError {
  if (err instanceof JobError) return err;
  const code = (err as { code?: string }).code ?? "";
  const message = err instanceof Error ? err.message : String(err);
  if (TIMEOUT_SQLSTATE.has(code))
    return new JobError("timeout", `${name}: the query ran longer than ${timeoutMs / 1000} s and was stopped`, true, { cause: err });
  if (FINAL_SQLSTATE.test(code)) return new JobError("query_error", `${name}: ${message}`, false, { cause: err });
  return new JobError("database", `${name}: ${message}`, true, { cause: err });
}

export function postgresSource(name: string, binding: Hyperdrive): DataSource {
  return {
    kind: "postgres",
    name,
    async query({ sql, values }, { timeoutMs }) {
      const compiled = compileNamed(sql, "postgres");
      const params = bindValues(compiled, values);
      const client = new pg.Client({ connectionString: binding.connectionString, types: TYPES, connectionTimeoutMillis: timeoutMs });
      // The socket may report its own closing after we are done with it (the server hung up
      // first): an error event nobody listens to would crash the invocation.
      client.on("error", () => {});
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new JobError("timeout", `${name}: the query did not finish within ${timeoutMs / 1000} s and was stopped`, true)),
          timeoutMs + 1000,
        );
      });
      const work = (async () => {
        await client.connect();
        await client.query("BEGIN READ ONLY");
        await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
        const result = await client.query({ text: compiled.text, values: params });
        await client.query("COMMIT");
        return result.rows as Record<string, unknown>[];
      })();
      try {
        return await Promise.race([work, deadline]);
      } catch (err) {
        throw failureOf(name, err, timeoutMs);
      } finally {
        clearTimeout(timer);
        work.catch(() => {}); // after a deadline, the abandoned query's own failure is not news
        await client.end().catch(() => {});
      }
    },
  };
}
