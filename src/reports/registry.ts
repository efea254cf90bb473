import { z } from "zod";
import { dataSource } from "./sources";
import type { ReportQueryContext, ReportType, Row } from "./types";
import { billingRevenue } from "./types/billing-revenue";
import { invoices } from "./types/invoices";
import { orderDetails } from "./types/order-details";
import { salesSummary } from "./types/sales-summary";
import { ticketBacklog } from "./types/ticket-backlog";
import { topCustomers } from "./types/top-customers";

// Each type is generic in its own parameters; the registry is the one place that erases them.
// biome-ignore lint/suspicious/noExplicitAny: a type's parameters are only known to the type itself (checked by its zod schema before use)
type AnyReportType = ReportType<any>;

/** Adding a report type: one file in ./types (a defineSqlReport declaration) and one entry here. */
export const reportTypes: Record<string, AnyReportType> = Object.fromEntries(
  [salesSummary, orderDetails, topCustomers, ticketBacklog, invoices, billingRevenue].map((t) => [t.id, t]),
);

export function getReportType(id: string): AnyReportType | undefined {
  return Object.hasOwn(reportTypes, id) ? reportTypes[id] : undefined;
}

export function listReportTypes(): AnyReportType[] {
  return Object.values(reportTypes);
}

/** Whether this deployment has the type's data source (an optional Postgres may not be bound). */
export const isSourceConfigured = (env: Env, type: AnyReportType) => dataSource(env, type.source) !== null;

/**
 * The JSON Schema of what a client may send (input side: defaulted fields are optional), for
 * generating a form. Cross-field rules (custom dates) are not expressible there; the API's
 * safeParse still enforces them.
 */
export function parametersJsonSchema(t: AnyReportType): Record<string, unknown> {
  return z.toJSONSchema(t.parameters, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

/** The names of a type's parameters (the top-level keys a report or a trigger may set). */
export function parameterKeys(t: AnyReportType): string[] {
  const properties = parametersJsonSchema(t).properties;
  return properties && typeof properties === "object" ? Object.keys(properties) : [];
}

/** Walks every page of a report so renderers can stream rows without holding the whole result. */
export async function* readAllRows(type: AnyReportType, ctx: ReportQueryContext, params: unknown, pageSize = 1000): AsyncGenerator<Row[]> {
  let cursor: string | null = null;
  do {
    const page = await type.fetchPage(ctx, params, cursor, pageSize);
    if (page.rows.length > 0) yield page.rows;
    cursor = page.nextCursor;
  } while (cursor !== null);
}
