import { z } from "zod";
import { checkDateRange, dateRangeShape, resolveDateRange } from "../date-range";
import { assertPageLimit, centsToUnits, decodeCursor, encodeCursor, pageOf, queryRows, REGIONS, type ReportType } from "../types";

const ID = "sales_summary";

const parameters = z
  .strictObject({
    ...dateRangeShape("last_30_days"),
    region: z.enum(REGIONS).optional().meta({ title: "Region", description: "Only this region; all regions when empty" }),
    includeRefunded: z.boolean().default(false).meta({
      title: "Include refunded orders",
      description: "Count refunded orders in orders, units and revenue (gross); refunds are always shown separately",
    }),
  })
  .superRefine(checkDateRange);
type Params = z.output<typeof parameters>;

const cursorKey = z.tuple([z.iso.date(), z.string().max(50)]);

type GroupRow = {
  order_date: string;
  region: string;
  orders: number;
  units: number;
  revenue_cents: number;
  refund_cents: number;
};

export const salesSummary: ReportType<Params> = {
  id: ID,
  name: "Sales summary",
  description: "Orders, units, revenue, average order value and refunds per day and region.",
  parameters,
  formats: ["csv", "xlsx", "pdf"],
  chart: { kind: "line", x: "date", y: "revenue", series: "region" },

  columns: () => [
    { key: "date", label: "Date", type: "date" },
    { key: "region", label: "Region", type: "string" },
    { key: "orders", label: "Orders", type: "integer" },
    { key: "units", label: "Units", type: "integer" },
    { key: "revenue", label: "Revenue", type: "currency" },
    { key: "average_order_value", label: "Average order value", type: "currency" },
    { key: "refunds", label: "Refunds", type: "currency" },
  ],

  async fetchPage(ctx, params, cursor, limit) {
    assertPageLimit(limit);
    const after = cursor === null ? null : decodeCursor(ID, cursor, cursorKey);
    const range = resolveDateRange(params, ctx.now, ctx.timezone);
    // Refunded orders always feed the refunds column; whether they also count as sales is the flag.
    const counted = params.includeRefunded ? "status IN ('completed', 'refunded')" : "status = 'completed'";
    const where = ["organization_id = ?", "order_date >= ?", "order_date <= ?", "status != 'cancelled'"];
    const binds: unknown[] = [ctx.organizationId, after ? maxDate(range.from, after[0]) : range.from, range.to];
    if (params.region) {
      where.push("region = ?");
      binds.push(params.region);
    }
    // Region is a grouping key, so filtering rows on it is the same as filtering groups after the cursor.
    if (after) {
      where.push("(order_date > ? OR region > ?)");
      binds.push(after[0], after[1]);
    }
    const sql = `SELECT order_date, region,
        SUM(CASE WHEN ${counted} THEN 1 ELSE 0 END) AS orders,
        SUM(CASE WHEN ${counted} THEN quantity ELSE 0 END) AS units,
        SUM(CASE WHEN ${counted} THEN amount_cents ELSE 0 END) AS revenue_cents,
        SUM(CASE WHEN status = 'refunded' THEN amount_cents ELSE 0 END) AS refund_cents
      FROM demo_orders WHERE ${where.join(" AND ")}
      GROUP BY order_date, region ORDER BY order_date, region LIMIT ?`;
    const rows = await queryRows<GroupRow>(ctx, sql, [...binds, limit + 1]);
    const { pageRows, last } = pageOf(rows, limit);
    return {
      rows: pageRows.map((r) => ({
        date: r.order_date,
        region: r.region,
        orders: r.orders,
        units: r.units,
        revenue: centsToUnits(r.revenue_cents),
        average_order_value: r.orders > 0 ? centsToUnits(Math.round(r.revenue_cents / r.orders)) : null,
        refunds: centsToUnits(r.refund_cents),
      })),
      nextCursor: last ? encodeCursor(ID, [last.order_date, last.region]) : null,
    };
  },

  describeParameters(params, ctx) {
    const parts = [resolveDateRange(params, ctx.now, ctx.timezone).label];
    parts.push(params.region ? `region ${params.region}` : "all regions");
    if (params.includeRefunded) parts.push("refunded orders counted as sales");
    return parts.join(", ");
  },
};

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
