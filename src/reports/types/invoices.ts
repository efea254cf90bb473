import { z } from "zod";
import { checkDateRange, dateRangeShape, resolveDateRange } from "../date-range";
import { defineSqlReport } from "../sql-report";
import { centsToUnits } from "../types";

export const INVOICE_STATUSES = ["paid", "open", "void", "uncollectible"] as const;

/** The demo billing database (Postgres through Hyperdrive): one row per invoice. */
export const invoices = defineSqlReport({
  id: "invoices",
  name: "Invoices",
  description: "One row per invoice issued in the period, with its customer, plan, amount, status and payment date.",
  source: { kind: "postgres", name: "BILLING" },
  tenantTables: [
    { table: "billing_invoices", column: "tenant" },
    { table: "billing_plans", column: "tenant" },
  ],
  parameters: z
    .strictObject({
      ...dateRangeShape("last_30_days"),
      status: z.enum(INVOICE_STATUSES).optional().meta({ title: "Status", description: "Only invoices in this status; all when empty" }),
      plan: z
        .string()
        .trim()
        .min(1)
        .max(50)
        .optional()
        .meta({ title: "Plan", description: "Only invoices of this plan (starter, team, business, enterprise)" }),
    })
    .superRefine(checkDateRange),
  formats: ["csv", "xlsx", "pdf"],
  // The keyset comes before the date bounds, so that each page seeks to its cursor on billing_invoices_tenant_issued.
  sql: `SELECT i.id AS invoice_id, i.issued_on, i.due_on, i.customer, p.name AS plan, i.amount_cents, i.status, i.paid_on
        FROM billing_invoices i
        JOIN billing_plans p ON p.tenant = i.tenant AND p.id = i.plan_id
        WHERE i.tenant = :tenant AND /*keyset*/ AND i.issued_on >= :from::date AND i.issued_on <= :to::date
          AND (:status::text IS NULL OR i.status = :status::text)
          AND (:plan::text IS NULL OR i.plan_id = :plan::text)`,
  values: (params, ctx) => {
    const range = resolveDateRange(params, ctx.now, ctx.timezone);
    return { from: range.from, to: range.to, status: params.status, plan: params.plan?.toLowerCase() };
  },
  orderBy: ["issued_on", "invoice_id"],
  keyset: ["i.issued_on", "i.id"],
  columns: [
    { key: "invoice_id", label: "Invoice", type: "id" },
    { key: "issued_on", label: "Issued", type: "date" },
    { key: "due_on", label: "Due", type: "date" },
    { key: "customer", label: "Customer", type: "string" },
    { key: "plan", label: "Plan", type: "string" },
    { key: "amount", label: "Amount", type: "currency" },
    { key: "status", label: "Status", type: "string" },
    { key: "paid_on", label: "Paid", type: "date" },
  ],
  row: (r) => ({
    invoice_id: r.invoice_id as number,
    issued_on: r.issued_on as string,
    due_on: r.due_on as string,
    customer: r.customer as string,
    plan: r.plan as string,
    amount: centsToUnits(r.amount_cents as number),
    status: r.status as string,
    paid_on: (r.paid_on as string | null) ?? null,
  }),
  describe(params, ctx) {
    const parts = [resolveDateRange(params, ctx.now, ctx.timezone).label];
    parts.push(params.status ? `status ${params.status}` : "all statuses");
    parts.push(params.plan ? `plan ${params.plan}` : "all plans");
    return parts.join(", ");
  },
});
