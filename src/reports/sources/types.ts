import type { JobError } from "../../errors";

export type SourceKind = "d1" | "postgres";

/** Raw rows as the database returns them; a report type maps them onto its columns. */
export type SourceRow = Record<string, unknown>;

/** A read-only, parameterized query: named parameters (`:tenant`, …) bound by the driver. */
export type SqlQuery = { sql: string; values: Record<string, unknown> };

/**
 * Where report rows come from: a D1 database or a Postgres through Hyperdrive, declared in
 * wrangler.toml. A source reads one page at a time (the caller pages with a keyset), read-only and
 * within a time limit; it never holds a whole result.
 */
export interface DataSource {
  kind: SourceKind;
  /** The binding's name in wrangler.toml. */
  name: string;
  /** Runs the query and returns its rows; failures are JobErrors (query_error is final, a lost connection or timeout retryable). */
  query(query: SqlQuery, opts: { timeoutMs: number }): Promise<SourceRow[]>;
}

export type SourceFailure = JobError;
