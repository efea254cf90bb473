import { z } from "zod";
import type { Format } from "../db/schema";
import { ValidationError } from "../errors";
import { base64UrlToText, textToBase64Url } from "../lib/base64";
import type { SourceRef } from "./sources";

/** `id`: an identifier (an order or invoice number), printed as it is, never grouped like an amount. */
export type ColumnType = "string" | "integer" | "number" | "currency" | "date" | "percent" | "id";
export type Column = { key: string; label: string; type: ColumnType };
export type CellValue = string | number | null;
export type Row = Record<string, CellValue>;
export type ReportQueryContext = {
  /** The bindings: a report type finds its data source among them. */
  env: Env;
  /** The organization's data tenant key: every report query is bound to it as :tenant. */
  tenant: string;
  /** How long one page may take (default QUERY_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The run's scheduled-for time: date ranges are relative to it. */
  now: Date;
  /** The report's IANA timezone: "last_7_days" means in that zone's calendar. */
  timezone: string;
};
export type ReportPage = { rows: Row[]; nextCursor: string | null };
/** A table of a report's source whose `column` holds the data tenant key (what :tenant is compared with). */
export type TenantTable = { table: string; column: string };

export interface ReportType<P = Record<string, unknown>> {
  id: string;
  name: string;
  description: string;
  /** The database it reads: kind and binding name. */
  source: SourceRef;
  /** Validated with .safeParse by the API; defaults applied by the schema. */
  parameters: z.ZodType<P>;
  /** Which of "csv" | "xlsx" | "pdf" it supports. */
  formats: readonly Format[];
  columns(params: P): Column[];
  /** Throws InvalidCursorError for a cursor it did not issue, RangeError for a bad limit. */
  fetchPage(ctx: ReportQueryContext, params: P, cursor: string | null, limit: number): Promise<ReportPage>;
  /** The parameters in words, e.g. "Last 7 days (2026-11-21 to 2026-11-27), region EU". */
  describeParameters(params: P, ctx: ReportQueryContext): string;
  /** The tables it reads that carry the tenant column: how many rows a tenant key matches is counted there. */
  tenantTables?: readonly TenantTable[];
  /** Natural chart for the PDF, if any; x/y/series are column keys. */
  chart?: { kind: "line" | "bar"; x: string; y: string; series?: string };
}

/** The vocabulary of the demo business, shared by the generator and the report parameters. */
export const REGIONS = ["NA", "EU", "APAC", "LATAM"] as const;
export type Region = (typeof REGIONS)[number];
export const SEGMENTS = ["Enterprise", "SMB", "Consumer"] as const;
export type Segment = (typeof SEGMENTS)[number];
export const ORDER_STATUSES = ["completed", "refunded", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Most urgent first: the backlog is ordered this way. */
export const TICKET_PRIORITIES = ["urgent", "high", "normal", "low"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_STATUSES = ["open", "pending", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Largest page a report type serves; bigger reads must page. */
export const MAX_PAGE_SIZE = 5000;

/** A 400 for the API: a cursor that was tampered with, truncated, or issued by another report type. */
export class InvalidCursorError extends ValidationError {
  constructor() {
    super("The cursor is not valid for this report");
  }
}

/** Cursors are base64url JSON of `{ t: typeId, k: keyset }`, so they are opaque but checkable. */
export function encodeCursor(typeId: string, key: unknown): string {
  return textToBase64Url(JSON.stringify({ t: typeId, k: key }));
}

export function decodeCursor<K>(typeId: string, cursor: string, key: z.ZodType<K>): K {
  let parsed: unknown;
  try {
    if (!cursor) throw new Error("empty cursor");
    parsed = JSON.parse(base64UrlToText(cursor));
  } catch {
    throw new InvalidCursorError();
  }
  const result = z.object({ t: z.literal(typeId), k: key }).safeParse(parsed);
  if (!result.success) throw new InvalidCursorError();
  return result.data.k;
}

export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`Page limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
}

/** Money is stored in cents; currency cells are numbers in units. */
export function centsToUnits(cents: number | null): number | null {
  return cents === null ? null : Math.round(cents) / 100;
}
