import { z } from "zod";
import { checkDateRange, dateRangeShape, resolveDateRange } from "../date-range";
import { assertPageLimit, centsToUnits, decodeCursor, encodeCursor, pageOf, queryRows, type ReportType, SEGMENTS } from "../types";

const ID = "top_customers";

const parameters = z
  .strictObject({
    ...dateRangeShape("last_30_days"),
    limit: z.int().min(1).max(1000).default(50).meta({ title: "Number of customers", description: "How many of the top customers to list" }),
    segment: z.enum(SEGMENTS).optional().meta({ title: "Segment", description: "Only customers in this segment; all when empty" }),
  })
  .superRefine(checkDateRange);
type Params = z.output<typeof parameters>;

/** [revenue in cents, customer id, rank of that row]: the rank lets later pages keep counting. */
const cursorKey = z.tuple([z.int(), z.int(), z.int().min(1)]);

type CustomerRow = {
  id: number;
  name: string;
  segment: string;
  region: string;
  orders: number;
  revenue_cents: number;
  last_order_date: string;
};

export const topCustomers: ReportType<Params> = {
  id: ID,
  name: "Top customers",
  description: "Customers ranked by revenue from completed orders in the period.",
  parameters,
  formats: ["csv", "xlsx", "pdf"],
  chart: { kind: "bar", x: "customer", y: "revenue" },

  columns: () => [
    { key: "rank", label: "Rank", type: "integer" },
    { key: "customer", label: "Customer", type: "string" },
    { key: "segment", label: "Segment", type: "string" },
    { key: "region", label: "Region", type: "string" },
    { key: "orders", label: "Orders", type: "integer" },
    { key: "revenue", label: "Revenue", type: "currency" },
    { key: "last_order_date", label: "Last order", type: "date" },
  ],

  async fetchPage(ctx, params, cursor, limit) {
    assertPageLimit(limit);
    const after = cursor === null ? null : decodeCursor(ID, cursor, cursorKey);
    const rankBefore = after ? after[2] : 0;
    const remaining = params.limit - rankBefore;
    if (remaining <= 0) return { rows: [], nextCursor: null };
    const take = Math.min(limit, remaining);

    const range = resolveDateRange(params, ctx.now, ctx.timezone);
    const binds: unknown[] = [ctx.organizationId, range.from, range.to, ctx.organizationId];
    const where: string[] = [];
    if (params.segment) {
      where.push("c.segment = ?");
      binds.push(params.segment);
    }
    if (after) {
      where.push("(t.revenue_cents < ? OR (t.revenue_cents = ? AND t.customer_id > ?))");
      binds.push(after[0], after[0], after[1]);
    }
    const sql = `SELECT c.id, c.name, c.segment, c.region, t.orders, t.revenue_cents, t.last_order_date
      FROM (
        SELECT customer_id, COUNT(*) AS orders, SUM(amount_cents) AS revenue_cents, MAX(order_date) AS last_order_date
        FROM demo_orders
        WHERE organization_id = ? AND order_date >= ? AND order_date <= ? AND status = 'completed'
        GROUP BY customer_id
      ) t
      JOIN demo_customers c ON c.organization_id = ? AND c.id = t.customer_id
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY t.revenue_cents DESC, t.customer_id ASC LIMIT ?`;
    const rows = await queryRows<CustomerRow>(ctx, sql, [...binds, take + 1]);
    const { pageRows, last } = pageOf(rows, take);
    const lastRank = rankBefore + pageRows.length;
    // A page cut short by the ranking limit is the end, even if more customers exist.
    const more = last !== undefined && lastRank < params.limit;
    return {
      rows: pageRows.map((r, i) => ({
        rank: rankBefore + i + 1,
        customer: r.name,
        segment: r.segment,
        region: r.region,
        orders: r.orders,
        revenue: centsToUnits(r.revenue_cents),
        last_order_date: r.last_order_date,
      })),
      nextCursor: more ? encodeCursor(ID, [last.revenue_cents, last.id, lastRank]) : null,
    };
  },

  describeParameters(params, ctx) {
    const parts = [resolveDateRange(params, ctx.now, ctx.timezone).label, `top ${params.limit} customers by revenue`];
    parts.push(params.segment ? `segment ${params.segment}` : "all segments");
    return parts.join(", ");
  },
};
