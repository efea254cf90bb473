import { describe, expect, it } from "vitest";
import { generateDemoData } from "../src/demo/generate";
import { getReportType, listReportTypes, parametersJsonSchema } from "../src/reports/registry";
import { InvalidCursorError, type ReportType } from "../src/reports/types";
import { orderDetails } from "../src/reports/types/order-details";
import { salesSummary } from "../src/reports/types/sales-summary";
import { ticketBacklog } from "../src/reports/types/ticket-backlog";
import { topCustomers } from "../src/reports/types/top-customers";
import { expectedBacklog, expectedOrderDetails, expectedSalesSummary, expectedTopCustomers } from "./support/demo-expected";
import { createOrganization, createSeededOrganization, insertDemoRows } from "./support/demo-org";
import { parameterIssues, queryContext, readReport } from "./support/demo-reports";

const NOW = new Date("2026-11-28T15:00:00Z");
const SCALE = 0.1;
// Exactly the rows seedDemoData inserts for NOW and SCALE: the source the expectations are computed from.
const data = generateDemoData({ now: NOW, scale: SCALE });
const custom = (from: string, to: string) => ({ dateRange: "custom", from, to });

/** Our organization, plus another holding the same data and one loud extra order, which must never show up. */
async function seededPair() {
  const org = await createSeededOrganization(NOW, SCALE);
  const other = await createSeededOrganization(NOW, SCALE);
  await insertDemoRows(other, { orders: [{ id: 900_001, orderDate: "2026-10-15", amountCents: 987_654_321, customerId: 1 }] });
  return { org, other, ctx: queryContext(org, NOW), otherCtx: queryContext(other, NOW) };
}

describe("sales_summary", () => {
  it("pages like one read, sums per day and region as the orders do, and ignores other organizations", async () => {
    const { ctx, otherCtx } = await seededPair();
    const params = custom("2026-09-01", "2026-11-28");
    const rows = await readReport(salesSummary, ctx, params);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows).toEqual(expectedSalesSummary(data, { from: "2026-09-01", to: "2026-11-28" }));
    expect(await readReport(salesSummary, otherCtx, params)).not.toEqual(rows);
  });

  it("filters by region and counts refunded orders as sales when asked", async () => {
    const { ctx } = await seededPair();
    const range = { from: "2026-06-01", to: "2026-08-31" };
    const eu = await readReport(salesSummary, ctx, { ...custom(range.from, range.to), region: "EU" });
    expect(eu.length).toBeGreaterThan(10);
    expect(eu).toEqual(expectedSalesSummary(data, { ...range, region: "EU" }));
    const gross = await readReport(salesSummary, ctx, { ...custom(range.from, range.to), includeRefunded: true });
    expect(gross).toEqual(expectedSalesSummary(data, { ...range, includeRefunded: true }));
    expect(gross).not.toEqual(expectedSalesSummary(data, range));
  });

  it("defaults to the last 30 days in the report's timezone", async () => {
    const { org } = await seededPair();
    // 15:00Z on the 28th is already the 29th at UTC+14, so yesterday there is the 28th.
    const rows = await readReport(salesSummary, queryContext(org, NOW, "Pacific/Kiritimati"), {});
    expect(rows).toEqual(expectedSalesSummary(data, { from: "2026-10-30", to: "2026-11-28" }));
  });

  it("shows a day with only refunds, and never counts cancelled orders", async () => {
    const org = await createOrganization();
    await insertDemoRows(org, {
      orders: [
        { id: 1, orderDate: "2026-11-20", region: "EU", amountCents: 1000, quantity: 2 },
        { id: 2, orderDate: "2026-11-20", region: "EU", amountCents: 3000, quantity: 1 },
        { id: 3, orderDate: "2026-11-20", region: "EU", amountCents: 500, status: "refunded" },
        { id: 4, orderDate: "2026-11-20", region: "EU", amountCents: 9999, status: "cancelled" },
        { id: 5, orderDate: "2026-11-20", region: "NA", amountCents: 700, status: "refunded" },
        { id: 6, orderDate: "2026-11-21", region: "NA", amountCents: 800, status: "cancelled" },
      ],
    });
    expect(await readReport(salesSummary, queryContext(org, NOW), {}, 1)).toEqual([
      { date: "2026-11-20", region: "EU", orders: 2, units: 3, revenue: 40, average_order_value: 20, refunds: 5 },
      { date: "2026-11-20", region: "NA", orders: 0, units: 0, revenue: 0, average_order_value: null, refunds: 7 },
    ]);
  });
});

describe("order_details", () => {
  it("pages like one read, lists each order with its customer and product, and ignores other organizations", async () => {
    const { ctx } = await seededPair();
    const rows = await readReport(orderDetails, ctx, custom("2026-10-01", "2026-10-31"));
    expect(rows.length).toBeGreaterThan(50);
    expect(rows).toEqual(expectedOrderDetails(data, { from: "2026-10-01", to: "2026-10-31" }));
  });

  it("filters by region, status and minimum amount", async () => {
    const { ctx } = await seededPair();
    const range = { from: "2026-01-01", to: "2026-06-30" };
    for (const filter of [{ region: "APAC" }, { status: "refunded" }, { minAmount: 1500.5 }, { region: "NA", status: "completed", minAmount: 200 }]) {
      const expected = expectedOrderDetails(data, { ...range, ...filter });
      expect(expected.length).toBeGreaterThan(3);
      expect(await readReport(orderDetails, ctx, { ...custom(range.from, range.to), ...filter })).toEqual(expected);
    }
  });
});

describe("top_customers", () => {
  it("ranks customers by completed revenue across pages and ignores other organizations", async () => {
    const { ctx } = await seededPair();
    const params = { ...custom("2025-11-29", "2026-11-28"), limit: 8 };
    const rows = await readReport(topCustomers, ctx, params);
    expect(rows).toHaveLength(8);
    expect(rows).toEqual(expectedTopCustomers(data, { from: "2025-11-29", to: "2026-11-28", limit: 8 }));
  });

  it("filters by segment and lists up to 50 by default", async () => {
    const { ctx } = await seededPair();
    const range = { from: "2024-11-29", to: "2026-11-28" };
    const smb = await readReport(topCustomers, ctx, { ...custom(range.from, range.to), segment: "SMB" }, 7);
    expect(smb).toEqual(expectedTopCustomers(data, { ...range, limit: 50, segment: "SMB" }));
    expect(await readReport(topCustomers, ctx, custom(range.from, range.to), 20)).toEqual(expectedTopCustomers(data, { ...range, limit: 50 }));
  });

  it("breaks revenue ties by customer and keeps counting ranks across pages", async () => {
    const org = await createOrganization();
    await insertDemoRows(org, {
      customers: [1, 2, 3].map((id) => ({ id, name: `Customer ${id}`, segment: "SMB" })),
      orders: [
        { id: 1, customerId: 3, orderDate: "2026-11-01", amountCents: 5000 },
        { id: 2, customerId: 2, orderDate: "2026-11-02", amountCents: 5000 },
        { id: 3, customerId: 1, orderDate: "2026-11-03", amountCents: 2000 },
        { id: 4, customerId: 1, orderDate: "2026-11-04", amountCents: 9000, status: "refunded" },
      ],
    });
    const rows = await readReport(topCustomers, queryContext(org, NOW), {}, 1);
    expect(rows.map((r) => [r.rank, r.customer, r.revenue, r.orders])).toEqual([
      [1, "Customer 2", 50, 1],
      [2, "Customer 3", 50, 1],
      [3, "Customer 1", 20, 1],
    ]);
  });
});

describe("ticket_backlog", () => {
  it("lists open and pending tickets, most urgent and oldest first, aged in the report's calendar", async () => {
    const { org } = await seededPair();
    const rows = await readReport(ticketBacklog, queryContext(org, NOW, "Pacific/Kiritimati"), {});
    expect(rows.length).toBeGreaterThan(6);
    expect(rows).toEqual(expectedBacklog(data, { today: "2026-11-29" }));
  });

  it("filters by priorities, assignee and age", async () => {
    const { ctx } = await seededPair();
    const assignee = data.tickets.find((t) => t.status === "open" && t.assignee !== null)!.assignee!;
    for (const filter of [{ priority: ["urgent", "high"] }, { assignee }, { olderThanDays: 10 }, { priority: ["low", "normal"], olderThanDays: 3 }]) {
      const expected = expectedBacklog(data, { today: "2026-11-28", ...filter });
      expect(expected.length).toBeGreaterThan(0);
      expect(await readReport(ticketBacklog, ctx, filter, 2)).toEqual(expected);
    }
  });
});

describe.each(listReportTypes().map((t) => [t.id, t] as [string, ReportType<any>]))("%s", (_id, type) => {
  it("rejects cursors it did not issue", async () => {
    const ctx = queryContext(await createOrganization(), NOW);
    const params = type.parameters.parse({});
    const foreign = btoa(JSON.stringify({ t: "another_type", k: ["2026-01-01", 1] })).replace(/=+$/, "");
    const wrongShape = btoa(JSON.stringify({ t: type.id, k: { x: 1 } })).replace(/=+$/, "");
    for (const cursor of ["not a cursor!", "bm90IGpzb24", foreign, wrongShape, ""]) {
      await expect(type.fetchPage(ctx, params, cursor, 3)).rejects.toBeInstanceOf(InvalidCursorError);
    }
    await expect(type.fetchPage(ctx, params, null, 0)).rejects.toBeInstanceOf(RangeError);
  });

  it("describes a form with a property per parameter and describes its parameters in words", async () => {
    const schema = parametersJsonSchema(type);
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties as object).length).toBeGreaterThan(0);
    expect(type.describeParameters(type.parameters.parse({}), queryContext("org", NOW))).toMatch(/\w/);
    expect(getReportType(type.id)).toBe(type);
  });
});

describe("report parameters", () => {
  it("apply defaults", () => {
    expect(salesSummary.parameters.parse({})).toEqual({ dateRange: "last_30_days", includeRefunded: false });
    expect(topCustomers.parameters.parse({})).toEqual({ dateRange: "last_30_days", limit: 50 });
    expect(orderDetails.parameters.parse({})).toEqual({ dateRange: "last_7_days" });
  });

  it("reject bad input", () => {
    expect(parameterIssues(salesSummary, { region: "MARS" })).toEqual(["region"]);
    expect(parameterIssues(orderDetails, { dateRange: "custom" })).toEqual(["from", "to"]);
    expect(parameterIssues(orderDetails, { minAmount: -1 })).toEqual(["minAmount"]);
    for (const limit of [0, 1001, 2.5, "10"]) expect(parameterIssues(topCustomers, { limit })).toEqual(["limit"]);
    expect(parameterIssues(ticketBacklog, { priority: [] })).toEqual(["priority"]);
    expect(parameterIssues(ticketBacklog, { priority: ["critical"] })).toEqual(["priority.0"]);
    expect(parameterIssues(salesSummary, { regoin: "EU" })).toEqual([""]);
  });

  it("publish enums, titles and defaults in the JSON Schema", () => {
    const schema = parametersJsonSchema(salesSummary) as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.region).toMatchObject({ enum: ["NA", "EU", "APAC", "LATAM"], title: "Region" });
    expect(schema.properties.dateRange).toMatchObject({ default: "last_30_days", title: "Date range" });
    expect(schema.properties.includeRefunded).toMatchObject({ type: "boolean", default: false });
    expect(parametersJsonSchema(topCustomers)).toMatchObject({ properties: { limit: { minimum: 1, maximum: 1000, default: 50 } } });
  });

  it("are listed in the registry for every type", () => {
    expect(
      listReportTypes()
        .map((t) => t.id)
        .sort(),
    ).toEqual(["billing_revenue", "invoices", "order_details", "sales_summary", "ticket_backlog", "top_customers"]);
    expect(getReportType("toString")).toBeUndefined();
  });
});
