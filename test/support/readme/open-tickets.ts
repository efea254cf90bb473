// The README's Postgres example ("Report on your own data"), verbatim from `export const` on:
// test/readme-examples.test.ts checks that the README still shows it and that it registers.
import { z } from "zod";
import { defineSqlReport } from "../../../src/reports/sql-report";

export const openTickets = defineSqlReport({
  id: "open_tickets",
  name: "Open tickets",
  description: "Tickets still open, oldest first.",
  source: { kind: "postgres", name: "BILLING" },
  parameters: z.strictObject({
    team: z.string().optional().meta({ title: "Team", description: "Only this team's tickets; every team when empty" }),
  }),
  formats: ["csv", "xlsx", "pdf"],
  sql: `SELECT t.id AS ticket_id, t.opened_on, t.subject
          FROM tickets t
         WHERE t.account_id = :tenant AND t.closed_on IS NULL
           AND (:team::text IS NULL OR t.team = :team::text)`,
  values: (params) => ({ team: params.team }),
  orderBy: ["opened_on", "ticket_id"], // unique, ascending, never null
  columns: [
    { key: "ticket_id", label: "Ticket", type: "id" }, // printed as it is: 14009, not 14,009
    { key: "opened_on", label: "Opened", type: "date" },
    { key: "subject", label: "Subject", type: "string" },
  ],
  describe: (params) => (params.team ? `team ${params.team}` : "all teams"),
});
