-- The README's local data for the D1 example: npx wrangler d1 execute PRODUCT_DB --local --file=…
CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS invoices (
  number TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  due_on TEXT NOT NULL,
  paid_on TEXT,
  amount_cents INTEGER NOT NULL,
  tax_rate REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS invoices_unpaid ON invoices (account_id, due_on, number) WHERE paid_on IS NULL;
INSERT OR IGNORE INTO customers (id, name, country) VALUES (1, 'Globex', 'DE'), (2, 'Initech', 'US');
INSERT OR IGNORE INTO invoices (number, account_id, customer_id, due_on, paid_on, amount_cents, tax_rate) VALUES
  ('INV-1001', 'acme', 1, '2026-10-31', NULL, 662393, 0.19),
  ('INV-1002', 'acme', 2, '2026-11-15', NULL, 125050, 0.0725),
  ('INV-1003', 'acme', 1, '2026-11-20', '2026-11-21', 99000, 0.19),
  ('INV-2001', 'other-tenant', 1, '2026-10-01', NULL, 500000, 0.19);
