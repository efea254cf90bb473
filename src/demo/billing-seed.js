// The demo subscription business of the BILLING Postgres source (plans, subscriptions, invoices):
// its schema and seed, plain JavaScript without imports, so that both `npm start` (Node, PGlite:
// scripts/demo-postgres.mjs) and the Worker (loading sample data under local development, through
// the BILLING Hyperdrive binding with `pg`) run the same SQL. `db` is anything with PGlite's and
// pg's query(text, values) that answers { rows }.

/** The billing tables (idempotent). */
export const BILLING_SCHEMA = `
  CREATE TABLE IF NOT EXISTS billing_plans (
    tenant text NOT NULL, id text NOT NULL, name text NOT NULL, monthly_cents integer NOT NULL,
    PRIMARY KEY (tenant, id)
  );
  CREATE TABLE IF NOT EXISTS billing_subscriptions (
    tenant text NOT NULL, id integer NOT NULL, customer text NOT NULL, plan_id text NOT NULL,
    status text NOT NULL, started_on date NOT NULL, canceled_on date,
    PRIMARY KEY (tenant, id)
  );
  CREATE TABLE IF NOT EXISTS billing_invoices (
    tenant text NOT NULL, id bigint NOT NULL, subscription_id integer NOT NULL, customer text NOT NULL,
    plan_id text NOT NULL, issued_on date NOT NULL, due_on date NOT NULL, amount_cents integer NOT NULL,
    status text NOT NULL, paid_on date,
    PRIMARY KEY (tenant, id)
  );
  CREATE INDEX IF NOT EXISTS billing_invoices_tenant_issued ON billing_invoices (tenant, issued_on, id);
`;

/**
 * Seeds `subscriptions` subscriptions for a tenant, each invoiced monthly for up to two years before
 * today. Deterministic (pseudo-random from hashes of the ids) and idempotent (ON CONFLICT DO NOTHING).
 */
export async function seedBilling(db, tenant, { subscriptions = 1000 } = {}) {
  await db.query(
    `INSERT INTO billing_plans (tenant, id, name, monthly_cents) VALUES
       ($1, 'starter', 'Starter', 2900), ($1, 'team', 'Team', 9900), ($1, 'business', 'Business', 29900), ($1, 'enterprise', 'Enterprise', 99900)
     ON CONFLICT DO NOTHING`,
    [tenant],
  );
  await db.query(
    `INSERT INTO billing_subscriptions (tenant, id, customer, plan_id, status, started_on, canceled_on)
     SELECT $1, g,
            'Customer ' || lpad(g::text, 5, '0'),
            (ARRAY['starter', 'starter', 'team', 'team', 'business', 'enterprise'])[1 + abs(hashtext('plan' || g)) % 6],
            (ARRAY['active', 'active', 'active', 'active', 'trialing', 'past_due', 'canceled'])[1 + abs(hashtext('status' || g)) % 7],
            current_date - (abs(hashtext('start' || g)) % 730),
            NULL
       FROM generate_series(1, $2::int) AS g
     ON CONFLICT DO NOTHING`,
    [tenant, subscriptions],
  );
  await db.query(
    `UPDATE billing_subscriptions SET canceled_on = least(started_on + (abs(hashtext('cancel' || id)) % 300), current_date)
      WHERE tenant = $1 AND status = 'canceled' AND canceled_on IS NULL`,
    [tenant],
  );
  await db.query(
    `INSERT INTO billing_invoices (tenant, id, subscription_id, customer, plan_id, issued_on, due_on, amount_cents, status, paid_on)
     SELECT s.tenant, s.id::bigint * 1000 + m, s.id, s.customer, s.plan_id, d, d + 14,
            p.monthly_cents * (1 + abs(hashtext('seats' || s.id)) % 5),
            CASE WHEN d > current_date - 14 AND abs(hashtext('open' || s.id || m)) % 3 = 0 THEN 'open'
                 WHEN abs(hashtext('void' || s.id || m)) % 50 = 0 THEN 'void'
                 WHEN abs(hashtext('bad' || s.id || m)) % 80 = 0 THEN 'uncollectible'
                 ELSE 'paid' END,
            NULL
       FROM billing_subscriptions s
       JOIN billing_plans p ON p.tenant = s.tenant AND p.id = s.plan_id
       CROSS JOIN LATERAL generate_series(0, 24) AS m
       CROSS JOIN LATERAL (SELECT (s.started_on + make_interval(months => m))::date AS d) AS issued
      WHERE s.tenant = $1 AND d <= least(coalesce(s.canceled_on, current_date), current_date)
     ON CONFLICT DO NOTHING`,
    [tenant],
  );
  await db.query(
    `UPDATE billing_invoices SET paid_on = least(issued_on + (abs(hashtext('paid' || id)) % 20), current_date)
      WHERE tenant = $1 AND status = 'paid' AND paid_on IS NULL`,
    [tenant],
  );
  const { rows } = await db.query("SELECT count(*)::int AS n FROM billing_invoices WHERE tenant = $1", [tenant]);
  return { invoices: rows[0].n };
}
