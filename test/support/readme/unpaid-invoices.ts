// The README's D1 example ("Report on your own data"), verbatim from `export const` on:
// test/readme-examples.test.ts checks that the README still shows it, that it registers, and that
// it reads the rows the README's seed file creates.
import { z } from "zod";
import { defineSqlReport } from "../../../src/reports/sql-report";
import { centsToUnits } from "../../../src/reports/types";

export const unpaidInvoices = defineSqlReport({
  id: "unpaid_invoices",
  name: "Unpaid invoices",
  description: "Invoices not paid yet, the longest overdue first.",
  source: { kind: "d1", name: "PRODUCT_DB" },
  parameters: z.strictObject({
    country: z.string().length(2).optional().meta({ title: "Country", description: "Two-letter code; every country when empty" }),
    minAmount: z.number().min(0).default(0).meta({ title: "Smallest amount", description: "Only invoices of at least this much" }),
  }),
  formats: ["csv", "xlsx", "pdf"],
  sql: `SELECT i.number AS invoice, i.due_on, c.name AS customer, c.country, i.amount_cents, i.tax_rate
          FROM invoices i JOIN customers c ON c.id = i.customer_id
         WHERE i.account_id = :tenant AND i.paid_on IS NULL AND i.amount_cents >= :min_cents
           AND (:country IS NULL OR c.country = :country)`,
  values: (params) => ({ country: params.country, min_cents: Math.round(params.minAmount * 100) }),
  orderBy: ["due_on", "invoice"], // unique, ascending, never null
  columns: [
    { key: "invoice", label: "Invoice", type: "string" },
    { key: "due_on", label: "Due", type: "date" },
    { key: "customer", label: "Customer", type: "string" },
    { key: "country", label: "Country", type: "string" },
    { key: "amount", label: "Amount", type: "currency" },
    { key: "tax_rate", label: "Tax rate", type: "percent" },
  ],
  // Cents in the database, units in the report: a currency cell is an amount such as 1250.5.
  row: (r) => ({
    invoice: r.invoice as string,
    due_on: r.due_on as string,
    customer: r.customer as string,
    country: r.country as string,
    amount: centsToUnits(r.amount_cents as number),
    tax_rate: r.tax_rate as number,
  }),
  describe: (params) =>
    [params.country ? `customers in ${params.country}` : "all countries", params.minAmount ? `at least ${params.minAmount}` : ""].filter(Boolean).join(", "),
});
