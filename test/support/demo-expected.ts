import type { DemoDataset } from "../../src/demo/generate";
import type { Row } from "../../src/reports/types";

/* What each report should say, worked out in plain JS from the rows that were inserted. */

const units = (cents: number) => cents / 100;
const byKeys =
  (...keys: ((r: Row) => string | number)[]) =>
  (a: Row, b: Row) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

export function expectedSalesSummary(data: DemoDataset, f: { from: string; to: string; region?: string; includeRefunded?: boolean }): Row[] {
  const groups = new Map<string, { date: string; region: string; orders: number; units: number; revenue: number; refunds: number }>();
  for (const o of data.orders) {
    if (o.orderDate < f.from || o.orderDate > f.to || o.status === "cancelled") continue;
    if (f.region && o.region !== f.region) continue;
    const key = `${o.orderDate}|${o.region}`;
    const g = groups.get(key) ?? { date: o.orderDate, region: o.region, orders: 0, units: 0, revenue: 0, refunds: 0 };
    if (o.status === "completed" || f.includeRefunded) {
      g.orders += 1;
      g.units += o.quantity;
      g.revenue += o.amountCents;
    }
    if (o.status === "refunded") g.refunds += o.amountCents;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({
      date: g.date,
      region: g.region,
      orders: g.orders,
      units: g.units,
      revenue: units(g.revenue),
      average_order_value: g.orders ? Math.round(g.revenue / g.orders) / 100 : null,
      refunds: units(g.refunds),
    }))
    .sort(
      byKeys(
        (r) => r.date as string,
        (r) => r.region as string,
      ),
    );
}

export function expectedOrderDetails(data: DemoDataset, f: { from: string; to: string; region?: string; status?: string; minAmount?: number }): Row[] {
  const customers = new Map(data.customers.map((c) => [c.id, c]));
  const products = new Map(data.products.map((p) => [p.id, p]));
  return data.orders
    .filter((o) => o.orderDate >= f.from && o.orderDate <= f.to)
    .filter((o) => (!f.region || o.region === f.region) && (!f.status || o.status === f.status))
    .filter((o) => f.minAmount === undefined || o.amountCents >= f.minAmount * 100)
    .map((o) => ({
      order_id: o.id,
      date: o.orderDate,
      customer: customers.get(o.customerId)?.name ?? null,
      product: products.get(o.productId)?.name ?? null,
      category: products.get(o.productId)?.category ?? null,
      region: o.region,
      quantity: o.quantity,
      amount: units(o.amountCents),
      status: o.status,
    }))
    .sort(
      byKeys(
        (r) => r.date as string,
        (r) => r.order_id as number,
      ),
    );
}

export function expectedTopCustomers(data: DemoDataset, f: { from: string; to: string; limit: number; segment?: string }): Row[] {
  const totals = new Map<number, { orders: number; revenue: number; last: string }>();
  for (const o of data.orders) {
    if (o.orderDate < f.from || o.orderDate > f.to || o.status !== "completed") continue;
    const t = totals.get(o.customerId) ?? { orders: 0, revenue: 0, last: "" };
    // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as strings (Math.max would make NaN)
    const last = o.orderDate > t.last ? o.orderDate : t.last;
    totals.set(o.customerId, { orders: t.orders + 1, revenue: t.revenue + o.amountCents, last });
  }
  return data.customers
    .filter((c) => totals.has(c.id) && (!f.segment || c.segment === f.segment))
    .map((c) => ({ c, t: totals.get(c.id)! }))
    .sort((a, b) => b.t.revenue - a.t.revenue || a.c.id - b.c.id)
    .slice(0, f.limit)
    .map(({ c, t }, i) => ({
      rank: i + 1,
      customer: c.name,
      segment: c.segment,
      region: c.region,
      orders: t.orders,
      revenue: units(t.revenue),
      last_order_date: t.last,
    }));
}

const URGENCY = ["urgent", "high", "normal", "low"];

export function expectedBacklog(data: DemoDataset, f: { today: string; priority?: string[]; assignee?: string; olderThanDays?: number }): Row[] {
  const customers = new Map(data.customers.map((c) => [c.id, c]));
  const ageOf = (opened: string) => (Date.parse(f.today) - Date.parse(opened)) / 86_400_000;
  return data.tickets
    .filter((t) => (t.status === "open" || t.status === "pending") && t.openedDate <= f.today)
    .filter((t) => (!f.priority || f.priority.includes(t.priority)) && (f.assignee === undefined || t.assignee === f.assignee))
    .filter((t) => f.olderThanDays === undefined || ageOf(t.openedDate) > f.olderThanDays)
    .sort(
      (a, b) => URGENCY.indexOf(a.priority) - URGENCY.indexOf(b.priority) || (a.openedDate < b.openedDate ? -1 : a.openedDate > b.openedDate ? 1 : a.id - b.id),
    )
    .map((t) => ({
      ticket_id: t.id,
      subject: t.subject,
      customer: customers.get(t.customerId)?.name ?? null,
      priority: t.priority,
      status: t.status,
      assignee: t.assignee,
      opened_date: t.openedDate,
      age_days: ageOf(t.openedDate),
    }));
}
