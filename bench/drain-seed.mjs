// The end-to-end benchmark's data, as SQL for `wrangler d1 execute --local --file`: organizations,
// their demo orders and the scheduled reports, all due at the same minute. Generated inside SQLite
// (recursive CTEs), so the file stays small whatever N is.

const REGION = "CASE i % 4 WHEN 0 THEN 'NA' WHEN 1 THEN 'EU' WHEN 2 THEN 'APAC' ELSE 'LATAM' END";
const series = (from, to) => `WITH RECURSIVE s(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM s WHERE i < ${to})`;
const q = (text) => `'${String(text).replaceAll("'", "''")}'`;

/** A daily cron at the minute of `at` (UTC): the reports fall due then and not again that day. */
const dailyCronAt = (at) => {
  const d = new Date(at);
  return `${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
};

function reportsSql({ ids, orgOf, name, type, parameters, format, recipients, at, count }) {
  const cron = dailyCronAt(at);
  return `INSERT INTO scheduled_reports (id, organization_id, name, report_type, report_parameters, format, schedule_config, cron, timezone,
  catch_up, recipients, is_active, next_run_at, created_at, updated_at)
${series(0, count - 1)}
SELECT ${ids}, ${orgOf}, ${name}, ${q(type)}, ${q(JSON.stringify(parameters))}, ${q(format)}, ${q(JSON.stringify({ cron }))}, ${q(cron)}, 'UTC',
  'latest', ${recipients}, 1, ${at}, 0, 0 FROM s;`;
}

/**
 * N small CSV reports (sales summary of the last 30 days: about 100 rows) with two webhook recipients
 * each, `perOrg` reports per organization. Each recipient URL is its own (`/a/<i>`, `/b/<i>`), so
 * the receiver can tell every delivery apart.
 */
export function csvReportsSql({ n, perOrg, at, hookUrl }) {
  const orgs = Math.ceil(n / perOrg);
  const day = new Date(at).toISOString().slice(0, 10);
  return [
    `INSERT INTO organizations (id, name, created_at, updated_at)
${series(0, orgs - 1)}
SELECT printf('bench-org-%05d', i), 'Bench org ' || i, 0, 0 FROM s;`,
    // 60 orders per organization over the 30 days before the run: the summary has rows to show.
    `INSERT INTO demo_orders (organization_id, id, customer_id, product_id, region, order_date, quantity, amount_cents, status)
${series(1, 60)}
SELECT o.id, i, i % 20, i % 10, ${REGION}, date(${q(day)}, '-' || (i % 30) || ' days'), 1 + i % 5, 1000 + i * 37,
  CASE i % 10 WHEN 0 THEN 'refunded' ELSE 'completed' END
FROM organizations o, s WHERE o.id LIKE 'bench-org-%';`,
    reportsSql({
      ids: "printf('bench-report-%06d', i)",
      orgOf: `printf('bench-org-%05d', i / ${perOrg})`,
      name: "'Daily sales ' || i",
      type: "sales_summary",
      parameters: {},
      format: "csv",
      recipients: `json_array(json_object('type', 'webhook', 'value', ${q(`${hookUrl}/a/`)} || i), json_object('type', 'webhook', 'value', ${q(`${hookUrl}/b/`)} || i))`,
      at,
      count: n,
    }),
  ].join("\n\n");
}

/** One order-details report whose run holds `rows` orders (in 2025), as XLSX, to one webhook. */
export function xlsxReportSql({ rows, at, hookUrl }) {
  const org = "'bench-xlsx-org'";
  return [
    `INSERT INTO organizations (id, name, created_at, updated_at) VALUES (${org}, 'Bench XLSX org', 0, 0);`,
    `INSERT INTO demo_customers (organization_id, id, name, email, region, segment, signup_date)
${series(1, 1000)}
SELECT ${org}, i, 'Customer ' || i, 'customer' || i || '@example.com', ${REGION}, 'SMB', '2024-01-01' FROM s;`,
    `INSERT INTO demo_products (organization_id, id, sku, name, category, unit_price_cents)
${series(1, 50)}
SELECT ${org}, i, 'SKU-' || i, 'Product "' || i || '", standard', 'Category ' || (i % 5), 1000 + i * 10 FROM s;`,
    `INSERT INTO demo_orders (organization_id, id, customer_id, product_id, region, order_date, quantity, amount_cents, status)
${series(1, rows)}
SELECT ${org}, i, 1 + i % 1000, 1 + i % 50, ${REGION}, date('2025-01-01', '+' || (i % 365) || ' days'), 1 + i % 9, 1000 + (i % 1000) * 37,
  CASE i % 10 WHEN 0 THEN 'refunded' ELSE 'completed' END FROM s;`,
    reportsSql({
      ids: "'bench-xlsx-report'",
      orgOf: org,
      name: "'Order details 2025'",
      type: "order_details",
      parameters: { dateRange: "custom", from: "2025-01-01", to: "2025-12-31" },
      format: "xlsx",
      recipients: `json_array(json_object('type', 'webhook', 'value', ${q(`${hookUrl}/x/0`)}))`,
      at,
      count: 1,
    }),
  ].join("\n\n");
}
