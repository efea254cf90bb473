import { z } from "zod";
import type { Format } from "../db/schema";
import { JobError } from "../errors";
import { dataSource, type SourceRef } from "./sources";
import { parameterNames } from "./sources/named-params";
import type { SourceRow } from "./sources/types";
import { assertPageLimit, type Column, decodeCursor, encodeCursor, type ReportQueryContext, type ReportType, type Row, type TenantTable } from "./types";

/** How long one page of a report query may take. */
export const QUERY_TIMEOUT_MS = 20_000;

export type SqlReportDefinition<S extends z.ZodType> = {
  id: string;
  name: string;
  description: string;
  source: SourceRef;
  parameters: S;
  formats: readonly Format[];
  /**
   * One SELECT with named parameters (`:from`, `:region`), bound by the driver, never spliced in.
   * `:tenant` is always bound to the organization's data tenant key and must be used: a query that
   * does not filter by tenant is refused when the registry loads.
   */
  sql: string;
  /**
   * The tables the SQL reads that carry the tenant column (e.g. `{ table: "demo_orders", column:
   * "organization_id" }`): remapping an organization's data tenant key counts the rows the new key
   * matches in each, so that a key that matches nothing is caught before reports run empty.
   */
  tenantTables?: readonly TenantTable[];
  /** The named values the SQL uses besides :tenant, from the validated parameters. */
  values?: (params: z.output<S>, ctx: ReportQueryContext) => Record<string, unknown>;
  /** Output columns of the SQL that order its rows uniquely, ascending, never null: the keyset pages follow. */
  orderBy: readonly string[];
  /**
   * The table columns behind `orderBy` (same order, e.g. `o.order_date`), when the SQL holds the
   * `/*keyset*\/` marker where a condition goes: each page fills it with "after the cursor" over these
   * columns (TRUE on the first page). Wrapped from outside only, SQLite reads every row before the
   * cursor again on each page (quadratic in the report's rows): of two lower bounds on the same
   * column it cannot tell apart (`o.order_date >= :from` and the cursor), it seeks by the first it
   * was given, which is the query's own. Put the marker before the query's own bounds on those columns.
   */
  keyset?: readonly string[];
  columns: readonly Column[];
  /** A database row as a report row (default: each column's key read as is). */
  row?: (r: SourceRow, params: z.output<S>, ctx: ReportQueryContext) => Row;
  describe: (params: z.output<S>, ctx: ReportQueryContext) => string;
  chart?: ReportType["chart"];
};

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const COLUMN = /^([a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*$/;
const KEYSET = "/*keyset*/";

/** Refuses a definition that could leak across tenants or page wrongly: checked once, at load. */
function check(def: Pick<SqlReportDefinition<z.ZodType>, "id" | "sql" | "orderBy" | "keyset" | "tenantTables">) {
  for (const t of def.tenantTables ?? []) {
    if (!IDENTIFIER.test(t.table) || !IDENTIFIER.test(t.column) || !new RegExp(`\\b${t.table}\\b`).test(def.sql)) {
      throw new Error(`Report type "${def.id}": tenantTables must name tables its SQL reads and their tenant column (${t.table}.${t.column})`);
    }
  }
  const names = parameterNames(def.sql);
  if (!names.includes("tenant")) throw new Error(`Report type "${def.id}": its SQL must filter by :tenant (the organization's data)`);
  if (names.some((n) => n.startsWith("page_"))) throw new Error(`Report type "${def.id}": :page_* parameters are reserved for paging`);
  if (!def.orderBy.length || !def.orderBy.every((k) => IDENTIFIER.test(k))) throw new Error(`Report type "${def.id}": orderBy must name output columns`);
  const markers = def.sql.split(KEYSET).length - 1;
  if (def.keyset === undefined ? markers > 0 : markers !== 1 || def.keyset.length !== def.orderBy.length || !def.keyset.every((c) => COLUMN.test(c))) {
    throw new Error(`Report type "${def.id}": keyset must name a column for each orderBy key, and its SQL must hold ${KEYSET} once`);
  }
}

/** `(columns) > (:page_after_0, …)`: after the cursor, bound by the driver. */
const afterCursor = (columns: readonly string[]) => `(${columns.join(", ")}) > (${columns.map((_, i) => `:page_after_${i}`).join(", ")})`;

/** The report's SQL as a page: rows after the keyset `after` (all when null), in key order, at most `limit`. */
function pageSql(def: Pick<SqlReportDefinition<z.ZodType>, "sql" | "orderBy" | "keyset">, after: boolean) {
  const keys = def.orderBy.map((k) => `report_rows.${k}`);
  const keyset = def.keyset;
  const sql = keyset ? def.sql.replace(KEYSET, () => (after ? afterCursor(keyset) : "TRUE")) : def.sql;
  return `SELECT * FROM (${sql}) AS report_rows ${after ? `WHERE ${afterCursor(keys)}` : ""} ORDER BY ${keys.join(", ")} LIMIT :page_limit`;
}

const defaultRow = (columns: readonly Column[]) => (r: SourceRow) => Object.fromEntries(columns.map((c) => [c.key, (r[c.key] ?? null) as Row[string]]));

/**
 * A report type declared as SQL over one data source. Paging (keyset over `orderBy`), the tenant
 * guard, the time limit and the cursor format are written here once for every report type.
 */
export function defineSqlReport<S extends z.ZodType>(def: SqlReportDefinition<S>): ReportType<z.output<S>> {
  check(def);
  const toRow = def.row ?? defaultRow(def.columns);
  return {
    id: def.id,
    name: def.name,
    description: def.description,
    source: def.source,
    parameters: def.parameters as unknown as z.ZodType<z.output<S>>,
    formats: def.formats,
    chart: def.chart,
    tenantTables: def.tenantTables ?? [],
    columns: () => [...def.columns],
    describeParameters: (params, ctx) => def.describe(params, ctx),
    async fetchPage(ctx, params, cursor, limit) {
      assertPageLimit(limit);
      const after = cursor === null ? null : decodeCursor(def.id, cursor, keyOf(def.orderBy.length));
      const source = dataSource(ctx.env, def.source);
      if (!source) throw new JobError("configuration", `The data source ${def.source.name} (${def.source.kind}) is not configured in this deployment`, false);
      const values: Record<string, unknown> = { ...(def.values?.(params, ctx) ?? {}), tenant: ctx.tenant, page_limit: limit + 1 };
      after?.forEach((v, i) => {
        values[`page_after_${i}`] = v;
      });
      const rows = await source.query({ sql: pageSql(def, after !== null), values }, { timeoutMs: ctx.timeoutMs ?? QUERY_TIMEOUT_MS });
      const page = rows.slice(0, limit);
      const last = rows.length > limit ? page.at(-1) : undefined;
      return {
        rows: page.map((r) => toRow(r, params, ctx)),
        nextCursor: last
          ? encodeCursor(
              def.id,
              def.orderBy.map((k) => last[k]),
            )
          : null,
      };
    },
  };
}

/** A cursor holds the last row's key values (strings or numbers), as many as the report has keys. */
const keyOf = (length: number) => z.array(z.union([z.string(), z.number()])).length(length);
