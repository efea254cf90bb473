import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newCounters } from "../src/lib/instrument/counters";
import { countedD1 } from "../src/lib/instrument/d1";
import type { Row } from "../src/reports/types";
import { orderDetails } from "../src/reports/types/order-details";
import { createOrganization } from "./support/demo-org";
import { queryContext } from "./support/demo-reports";

const NOW = new Date("2026-11-28T15:00:00Z");
const ORDERS = 3000;
const PAGE = 50;

/**
 * `count` orders with ids from `firstId`, spread over `days` days from `from`, so that the ids do not
 * follow the dates and each day holds many orders (ties on the leading key of the report's order).
 */
async function insertOrders(organizationId: string, { firstId, count, from, days }: { firstId: number; count: number; from: string; days: number }) {
  await env.DB.prepare(
    `INSERT INTO demo_orders (organization_id, id, customer_id, product_id, region, order_date, quantity, amount_cents, status)
     WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ?3 - 1)
     SELECT ?1, ?2 + i, 1 + i % 20, 1 + i % 5, 'EU', date(?4, '+' || (i * 7 % ?5) || ' days'), 1, 1000 + i, 'completed' FROM s`,
  )
    .bind(organizationId, firstId, count, from, days)
    .run();
}

describe("the report pager", () => {
  it("pages a few thousand rows like one read, across ties, reading about as many rows for the last page as for the first", async () => {
    const org = await createOrganization();
    await env.DB.prepare(
      `INSERT INTO demo_customers (organization_id, id, name, email, region, segment, signup_date)
       WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20)
       SELECT ?1, i, 'Customer ' || i, 'c' || i || '@example.com', 'EU', 'SMB', '2020-01-01' FROM s`,
    )
      .bind(org)
      .run();
    // The report's month, with orders before and after it and another organization's in it: none may show up.
    await insertOrders(org, { firstId: 1, count: ORDERS, from: "2026-10-01", days: 31 });
    await insertOrders(org, { firstId: 100_001, count: 500, from: "2026-09-01", days: 30 });
    await insertOrders(org, { firstId: 200_001, count: 500, from: "2026-11-01", days: 27 });
    await insertOrders(await createOrganization(), { firstId: 1, count: 500, from: "2026-10-01", days: 31 });

    const counters = newCounters();
    const ctx = { ...queryContext(org, NOW), env: { ...env, DB: countedD1(env.DB, () => counters) } };
    const params = orderDetails.parameters.parse({ dateRange: "custom", from: "2026-10-01", to: "2026-10-31" });
    const pages: Row[][] = [];
    const rowsRead: number[] = [];
    let cursor: string | null = null;
    do {
      const before = counters.d1.rowsRead;
      const page = await orderDetails.fetchPage(ctx, params, cursor, PAGE);
      rowsRead.push(counters.d1.rowsRead - before);
      pages.push(page.rows);
      cursor = page.nextCursor;
    } while (cursor !== null);

    const whole = await orderDetails.fetchPage(ctx, params, null, 5000);
    expect(whole.nextCursor).toBeNull();
    const paged = pages.flat();
    expect(paged).toEqual(whole.rows);
    expect(paged).toHaveLength(ORDERS);
    expect(new Set(paged.map((r) => r.order_id)).size).toBe(ORDERS);
    const key = (r: Row) => [r.date as string, r.order_id as number] as const;
    const sorted = [...paged].sort((a, b) => (key(a)[0] === key(b)[0] ? key(a)[1] - key(b)[1] : key(a)[0] < key(b)[0] ? -1 : 1));
    expect(paged).toEqual(sorted);
    expect(paged.every((r) => r.customer !== null && (r.date as string) >= "2026-10-01" && (r.date as string) <= "2026-10-31")).toBe(true);
    // Most page boundaries fall inside a day: the cursor's second key carries the page on.
    const splitDays = pages.slice(1).filter((p, i) => p[0]?.date === pages[i]!.at(-1)?.date).length;
    expect(splitDays).toBeGreaterThan(pages.length / 2);

    // Each page seeks to its cursor: it reads about its own rows, not the ones before it again.
    expect(pages).toHaveLength(ORDERS / PAGE);
    expect(rowsRead[0]).toBeGreaterThanOrEqual(PAGE);
    expect(rowsRead.at(-1)).toBeLessThanOrEqual(2 * rowsRead[0]!);
    expect(Math.max(...rowsRead)).toBeLessThanOrEqual(2 * rowsRead[0]!);
  });
});
