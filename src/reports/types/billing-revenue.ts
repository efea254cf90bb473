import { z } from "zod";
import { checkDateRange, dateRangeShape, resolveDateRange } from "../date-range";
import { defineSqlReport } from "../sql-report";
import { centsToUnits } from "../types";

/** The demo billing database (Postgres through Hyperdrive): invoiced and collected revenue per month and plan. */
export const billingRevenue = defineSqlReport({
  id: "billing_revenue",
  name: "Revenue by plan",
  description: "Invoices, invoiced and collected revenue per month and plan, from the billing database.",
  source: { kind: "postgres", name: "BILLING" },
  tenantTables: [
    { table: "billing_invoices", column: "tenant" },
    { table: "billing_plans", column: "tenant" },
  ],
  parameters: z.strictObject({ ...dateRangeShape("year_to_date") }).superRefine(checkDateRange),
  formats: ["csv", "xlsx", "pdf"],
  chart: { kind: "line", x: "month", y: "invoiced", series: "plan" },
  sql: `SELECT to_char(i.issued_on, 'YYYY-MM') AS month, p.name AS plan,
          count(*) AS invoices,
          sum(i.amount_cents) FILTER (WHERE i.status <> 'void') AS invoiced_cents,
          sum(i.amount_cents) FILTER (WHERE i.status = 'paid') AS collected_cents
        FROM billing_invoices i
        JOIN billing_plans p ON p.tenant = i.tenant AND p.id = i.plan_id
        WHERE i.tenant = :tenant AND i.issued_on >= :from::date AND i.issued_on <= :to::date
        GROUP BY 1, 2`,
  values: (params, ctx) => {
    const range = resolveDateRange(params, ctx.now, ctx.timezone);
    return { from: range.from, to: range.to };
  },
  orderBy: ["month", "plan"],
  columns: [
    { key: "month", label: "Month", type: "string" },
    { key: "plan", label: "Plan", type: "string" },
    { key: "invoices", label: "Invoices", type: "integer" },
    { key: "invoiced", label: "Invoiced", type: "currency" },
    { key: "collected", label: "Collected", type: "currency" },
  ],
  row: (r) => ({
    month: r.month as string,
    plan: r.plan as string,
    invoices: r.invoices as number,
    invoiced: centsToUnits((r.invoiced_cents as number | null) ?? 0),
    collected: centsToUnits((r.collected_cents as number | null) ?? 0),
  }),
  describe: (params, ctx) => resolveDateRange(params, ctx.now, ctx.timezone).label,
});
