import { z } from "zod";
import { checkDateRange, dateRangeShape, resolveDateRange } from "../date-range";
import { defineSqlReport } from "../sql-report";
import { centsToUnits, ORDER_STATUSES, REGIONS } from "../types";

export const orderDetails = defineSqlReport({
  id: "order_details",
  name: "Order details",
  description: "One row per order with its customer, product, region, quantity, amount and status.",
  source: { kind: "d1", name: "DB" },
  tenantTables: [
    { table: "demo_orders", column: "organization_id" },
    { table: "demo_customers", column: "organization_id" },
    { table: "demo_products", column: "organization_id" },
  ],
  parameters: z
    .strictObject({
      ...dateRangeShape("last_7_days"),
      region: z.enum(REGIONS).optional().meta({ title: "Region", description: "Only this region; all regions when empty" }),
      status: z.enum(ORDER_STATUSES).optional().meta({ title: "Status", description: "Only orders in this status; all when empty" }),
      minAmount: z
        .number()
        .min(0)
        .max(100_000_000)
        .optional()
        .meta({ title: "Minimum amount", description: "Only orders of at least this amount (in currency units, e.g. 99.50)" }),
    })
    .superRefine(checkDateRange),
  // A row per order is too long to print; it is meant for spreadsheets.
  formats: ["csv", "xlsx"],
  // LEFT JOINs: an order whose customer or product is gone is still an order. The keyset comes before
  // the date bounds, so that each page seeks to its cursor on demo_orders_org_date_idx.
  sql: `SELECT o.id AS order_id, o.order_date AS date, c.name AS customer, p.name AS product, p.category,
          o.region, o.quantity, o.amount_cents, o.status
        FROM demo_orders o
        LEFT JOIN demo_customers c ON c.organization_id = o.organization_id AND c.id = o.customer_id
        LEFT JOIN demo_products p ON p.organization_id = o.organization_id AND p.id = o.product_id
        WHERE o.organization_id = :tenant AND /*keyset*/ AND o.order_date >= :from AND o.order_date <= :to
          AND (:region IS NULL OR o.region = :region)
          AND (:status IS NULL OR o.status = :status)
          AND (:min_cents IS NULL OR o.amount_cents >= :min_cents)`,
  values: (params, ctx) => {
    const range = resolveDateRange(params, ctx.now, ctx.timezone);
    return {
      from: range.from,
      to: range.to,
      region: params.region,
      status: params.status,
      min_cents: params.minAmount === undefined ? null : Math.round(params.minAmount * 100),
    };
  },
  orderBy: ["date", "order_id"],
  keyset: ["o.order_date", "o.id"],
  columns: [
    { key: "order_id", label: "Order", type: "id" },
    { key: "date", label: "Date", type: "date" },
    { key: "customer", label: "Customer", type: "string" },
    { key: "product", label: "Product", type: "string" },
    { key: "category", label: "Category", type: "string" },
    { key: "region", label: "Region", type: "string" },
    { key: "quantity", label: "Quantity", type: "integer" },
    { key: "amount", label: "Amount", type: "currency" },
    { key: "status", label: "Status", type: "string" },
  ],
  row: (r) => ({
    order_id: r.order_id as number,
    date: r.date as string,
    customer: r.customer as string | null,
    product: r.product as string | null,
    category: r.category as string | null,
    region: r.region as string,
    quantity: r.quantity as number,
    amount: centsToUnits(r.amount_cents as number),
    status: r.status as string,
  }),
  describe(params, ctx) {
    const parts = [resolveDateRange(params, ctx.now, ctx.timezone).label];
    parts.push(params.region ? `region ${params.region}` : "all regions");
    parts.push(params.status ? `status ${params.status}` : "all statuses");
    if (params.minAmount !== undefined) parts.push(`amount at least ${params.minAmount.toFixed(2)}`);
    return parts.join(", ");
  },
});
