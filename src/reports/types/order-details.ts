import { z } from "zod";
import { checkDateRange, dateRangeShape, resolveDateRange } from "../date-range";
import { assertPageLimit, centsToUnits, decodeCursor, encodeCursor, ORDER_STATUSES, pageOf, queryRows, REGIONS, type ReportType } from "../types";

const ID = "order_details";

const parameters = z
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
  .superRefine(checkDateRange);
type Params = z.output<typeof parameters>;

const cursorKey = z.tuple([z.iso.date(), z.number().int()]);

type OrderRow = {
  id: number;
  order_date: string;
  customer: string | null;
  product: string | null;
  category: string | null;
  region: string;
  quantity: number;
  amount_cents: number;
  status: string;
};

export const orderDetails: ReportType<Params> = {
  id: ID,
  name: "Order details",
  description: "One row per order with its customer, product, region, quantity, amount and status.",
  parameters,
  // A row per order is too long to print; it is meant for spreadsheets.
  formats: ["csv", "xlsx"],

  columns: () => [
    { key: "order_id", label: "Order", type: "integer" },
    { key: "date", label: "Date", type: "date" },
    { key: "customer", label: "Customer", type: "string" },
    { key: "product", label: "Product", type: "string" },
    { key: "category", label: "Category", type: "string" },
    { key: "region", label: "Region", type: "string" },
    { key: "quantity", label: "Quantity", type: "integer" },
    { key: "amount", label: "Amount", type: "currency" },
    { key: "status", label: "Status", type: "string" },
  ],

  async fetchPage(ctx, params, cursor, limit) {
    assertPageLimit(limit);
    const after = cursor === null ? null : decodeCursor(ID, cursor, cursorKey);
    const range = resolveDateRange(params, ctx.now, ctx.timezone);
    const where = ["o.organization_id = ?", "o.order_date >= ?", "o.order_date <= ?"];
    // Starting the index range at the cursor's date keeps later pages from rescanning earlier days.
    const start = after && after[0] > range.from ? after[0] : range.from;
    const binds: unknown[] = [ctx.organizationId, start, range.to];
    if (params.region) {
      where.push("o.region = ?");
      binds.push(params.region);
    }
    if (params.status) {
      where.push("o.status = ?");
      binds.push(params.status);
    }
    if (params.minAmount !== undefined) {
      where.push("o.amount_cents >= ?");
      binds.push(Math.round(params.minAmount * 100));
    }
    if (after) {
      where.push("(o.order_date, o.id) > (?, ?)");
      binds.push(after[0], after[1]);
    }
    // LEFT JOINs: an order whose customer or product is gone is still an order.
    const sql = `SELECT o.id, o.order_date, c.name AS customer, p.name AS product, p.category,
        o.region, o.quantity, o.amount_cents, o.status
      FROM demo_orders o
      LEFT JOIN demo_customers c ON c.organization_id = o.organization_id AND c.id = o.customer_id
      LEFT JOIN demo_products p ON p.organization_id = o.organization_id AND p.id = o.product_id
      WHERE ${where.join(" AND ")}
      ORDER BY o.order_date, o.id LIMIT ?`;
    const rows = await queryRows<OrderRow>(ctx, sql, [...binds, limit + 1]);
    const { pageRows, last } = pageOf(rows, limit);
    return {
      rows: pageRows.map((r) => ({
        order_id: r.id,
        date: r.order_date,
        customer: r.customer,
        product: r.product,
        category: r.category,
        region: r.region,
        quantity: r.quantity,
        amount: centsToUnits(r.amount_cents),
        status: r.status,
      })),
      nextCursor: last ? encodeCursor(ID, [last.order_date, last.id]) : null,
    };
  },

  describeParameters(params, ctx) {
    const parts = [resolveDateRange(params, ctx.now, ctx.timezone).label];
    parts.push(params.region ? `region ${params.region}` : "all regions");
    parts.push(params.status ? `status ${params.status}` : "all statuses");
    if (params.minAmount !== undefined) parts.push(`amount at least ${params.minAmount.toFixed(2)}`);
    return parts.join(", ");
  },
};
