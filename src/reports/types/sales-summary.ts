import { z } from "zod";
import { checkDateRange, dateRangeShape, resolveDateRange } from "../date-range";
import { defineSqlReport } from "../sql-report";
import { centsToUnits, REGIONS } from "../types";

export const salesSummary = defineSqlReport({
  id: "sales_summary",
  name: "Sales summary",
  description: "Orders, units, revenue, average order value and refunds per day and region.",
  source: { kind: "d1", name: "DB" },
  tenantTables: [{ table: "demo_orders", column: "organization_id" }],
  parameters: z
    .strictObject({
      ...dateRangeShape("last_30_days"),
      region: z.enum(REGIONS).optional().meta({ title: "Region", description: "Only this region; all regions when empty" }),
      includeRefunded: z.boolean().default(false).meta({
        title: "Include refunded orders",
        description: "Count refunded orders in orders, units and revenue (gross); refunds are always shown separately",
      }),
    })
    .superRefine(checkDateRange),
  formats: ["csv", "xlsx", "pdf"],
  chart: { kind: "line", x: "date", y: "revenue", series: "region" },
  // Refunded orders always feed the refunds column; whether they also count as sales is the flag.
  sql: `SELECT order_date AS date, region,
          SUM(CASE WHEN status = 'completed' OR (:include_refunded = 1 AND status = 'refunded') THEN 1 ELSE 0 END) AS orders,
          SUM(CASE WHEN status = 'completed' OR (:include_refunded = 1 AND status = 'refunded') THEN quantity ELSE 0 END) AS units,
          SUM(CASE WHEN status = 'completed' OR (:include_refunded = 1 AND status = 'refunded') THEN amount_cents ELSE 0 END) AS revenue_cents,
          SUM(CASE WHEN status = 'refunded' THEN amount_cents ELSE 0 END) AS refund_cents
        FROM demo_orders
        WHERE organization_id = :tenant AND order_date >= :from AND order_date <= :to AND status != 'cancelled'
          AND (:region IS NULL OR region = :region)
        GROUP BY order_date, region`,
  values: (params, ctx) => {
    const range = resolveDateRange(params, ctx.now, ctx.timezone);
    return { from: range.from, to: range.to, region: params.region, include_refunded: params.includeRefunded ? 1 : 0 };
  },
  orderBy: ["date", "region"],
  columns: [
    { key: "date", label: "Date", type: "date" },
    { key: "region", label: "Region", type: "string" },
    { key: "orders", label: "Orders", type: "integer" },
    { key: "units", label: "Units", type: "integer" },
    { key: "revenue", label: "Revenue", type: "currency" },
    { key: "average_order_value", label: "Average order value", type: "currency" },
    { key: "refunds", label: "Refunds", type: "currency" },
  ],
  row: (r) => {
    const orders = r.orders as number;
    const revenue = r.revenue_cents as number;
    return {
      date: r.date as string,
      region: r.region as string,
      orders,
      units: r.units as number,
      revenue: centsToUnits(revenue),
      average_order_value: orders > 0 ? centsToUnits(Math.round(revenue / orders)) : null,
      refunds: centsToUnits(r.refund_cents as number),
    };
  },
  describe(params, ctx) {
    const parts = [resolveDateRange(params, ctx.now, ctx.timezone).label];
    parts.push(params.region ? `region ${params.region}` : "all regions");
    if (params.includeRefunded) parts.push("refunded orders counted as sales");
    return parts.join(", ");
  },
});
