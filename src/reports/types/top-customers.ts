import { z } from "zod";
import { checkDateRange, dateRangeShape, resolveDateRange } from "../date-range";
import { defineSqlReport } from "../sql-report";
import { centsToUnits, SEGMENTS } from "../types";

export const topCustomers = defineSqlReport({
  id: "top_customers",
  name: "Top customers",
  description: "Customers ranked by revenue from completed orders in the period.",
  source: { kind: "d1", name: "DB" },
  tenantTables: [
    { table: "demo_orders", column: "organization_id" },
    { table: "demo_customers", column: "organization_id" },
  ],
  parameters: z
    .strictObject({
      ...dateRangeShape("last_30_days"),
      limit: z.int().min(1).max(1000).default(50).meta({ title: "Number of customers", description: "How many of the top customers to list" }),
      segment: z.enum(SEGMENTS).optional().meta({ title: "Segment", description: "Only customers in this segment; all when empty" }),
    })
    .superRefine(checkDateRange),
  formats: ["csv", "xlsx", "pdf"],
  chart: { kind: "bar", x: "customer", y: "revenue" },
  // The rank is computed in SQL (revenue first, the customer id breaks ties), so pages follow it.
  sql: `SELECT * FROM (
          SELECT ROW_NUMBER() OVER (ORDER BY t.revenue_cents DESC, c.id ASC) AS rank,
                 c.name AS customer, c.segment, c.region, t.orders, t.revenue_cents, t.last_order_date
          FROM (
            SELECT customer_id, COUNT(*) AS orders, SUM(amount_cents) AS revenue_cents, MAX(order_date) AS last_order_date
            FROM demo_orders
            WHERE organization_id = :tenant AND order_date >= :from AND order_date <= :to AND status = 'completed'
            GROUP BY customer_id
          ) t
          JOIN demo_customers c ON c.organization_id = :tenant AND c.id = t.customer_id
          WHERE :segment IS NULL OR c.segment = :segment
        ) ranked WHERE rank <= :top`,
  values: (params, ctx) => {
    const range = resolveDateRange(params, ctx.now, ctx.timezone);
    return { from: range.from, to: range.to, segment: params.segment, top: params.limit };
  },
  orderBy: ["rank"],
  columns: [
    { key: "rank", label: "Rank", type: "integer" },
    { key: "customer", label: "Customer", type: "string" },
    { key: "segment", label: "Segment", type: "string" },
    { key: "region", label: "Region", type: "string" },
    { key: "orders", label: "Orders", type: "integer" },
    { key: "revenue", label: "Revenue", type: "currency" },
    { key: "last_order_date", label: "Last order", type: "date" },
  ],
  row: (r) => ({
    rank: r.rank as number,
    customer: r.customer as string,
    segment: r.segment as string,
    region: r.region as string,
    orders: r.orders as number,
    revenue: centsToUnits(r.revenue_cents as number),
    last_order_date: r.last_order_date as string,
  }),
  describe(params, ctx) {
    const parts = [resolveDateRange(params, ctx.now, ctx.timezone).label, `top ${params.limit} customers by revenue`];
    parts.push(params.segment ? `segment ${params.segment}` : "all segments");
    return parts.join(", ");
  },
});
