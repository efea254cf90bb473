import { errorMessage } from "../errors";
import { listReportTypes } from "./registry";
import { dataSource, type SourceRef } from "./sources";
import { QUERY_TIMEOUT_MS } from "./sql-report";
import type { TenantTable } from "./types";

export type TenantSourceRows = {
  source: string;
  kind: SourceRef["kind"];
  /** ok: counted; not_configured: this deployment has no such binding; error: the source could not be asked. */
  status: "ok" | "not_configured" | "error";
  /** Rows per table (null when the source could not be counted). */
  tables: { table: string; column: string; rows: number | null }[];
  rows: number | null;
  error?: string;
};

/**
 * What a data tenant key matches: rows per data source, in each table the report types declare as
 * carrying the tenant column (`tenantTables`), counted read-only through the same sources and time
 * limit as report queries. A source that is not configured or does not answer is listed as such.
 */
export async function countTenantRows(env: Env, tenant: string): Promise<{ sources: TenantSourceRows[]; totalRows: number }> {
  const bySource = new Map<string, { ref: SourceRef; tables: Map<string, TenantTable> }>();
  for (const type of listReportTypes()) {
    const id = `${type.source.kind}:${type.source.name}`;
    const entry = bySource.get(id) ?? { ref: type.source, tables: new Map<string, TenantTable>() };
    for (const t of type.tenantTables ?? []) entry.tables.set(`${t.table}.${t.column}`, t);
    bySource.set(id, entry);
  }
  const sources = await Promise.all(
    [...bySource.values()].filter((s) => s.tables.size > 0).map(({ ref, tables }) => countIn(env, ref, [...tables.values()], tenant)),
  );
  return { sources, totalRows: sources.reduce((n, s) => n + (s.rows ?? 0), 0) };
}

async function countIn(env: Env, ref: SourceRef, tables: TenantTable[], tenant: string): Promise<TenantSourceRows> {
  const base = { source: ref.name, kind: ref.kind };
  const source = dataSource(env, ref);
  const uncounted = tables.map((t) => ({ ...t, rows: null }));
  if (!source) return { ...base, status: "not_configured", tables: uncounted, rows: null };
  try {
    // One statement per source: a count per table (identifiers come from the declarations, checked when the registry loads).
    const sql = `SELECT ${tables.map((t, i) => `(SELECT COUNT(*) FROM ${t.table} WHERE ${t.column} = :tenant) AS n${i}`).join(", ")}`;
    const [row] = await source.query({ sql, values: { tenant } }, { timeoutMs: QUERY_TIMEOUT_MS });
    const counted = tables.map((t, i) => ({ ...t, rows: Number(row?.[`n${i}`] ?? 0) }));
    return { ...base, status: "ok", tables: counted, rows: counted.reduce((n, t) => n + t.rows, 0) };
  } catch (err) {
    return { ...base, status: "error", tables: uncounted, rows: null, error: errorMessage(err) };
  }
}
