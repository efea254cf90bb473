import { z } from "zod";
import { addDays, daysBetween, localDate } from "../date-range";
import { defineSqlReport } from "../sql-report";
import { TICKET_PRIORITIES } from "../types";

// Mirrors TICKET_PRIORITIES so SQL can sort urgent first; the values are constants, not input.
const PRIORITY_RANK_SQL = `CASE t.priority ${TICKET_PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(" ")} ELSE ${TICKET_PRIORITIES.length} END`;

export const ticketBacklog = defineSqlReport({
  id: "ticket_backlog",
  name: "Ticket backlog",
  description: "Open and pending support tickets, most urgent and oldest first, with their age.",
  source: { kind: "d1", name: "DB" },
  tenantTables: [
    { table: "demo_tickets", column: "organization_id" },
    { table: "demo_customers", column: "organization_id" },
  ],
  parameters: z.strictObject({
    priority: z
      .array(z.enum(TICKET_PRIORITIES))
      .min(1)
      .max(TICKET_PRIORITIES.length)
      .optional()
      .meta({ title: "Priorities", description: "Only these priorities; all when empty" }),
    assignee: z.string().trim().min(1).max(200).optional().meta({ title: "Assignee", description: "Only tickets assigned to this person" }),
    olderThanDays: z.int().min(0).max(3650).optional().meta({ title: "Older than (days)", description: "Only tickets open for more than this many days" }),
  }),
  formats: ["csv", "xlsx", "pdf"],
  // Tickets opened after the run's local date are not yet part of that day's backlog. The priority
  // list travels as one JSON parameter, read with json_each.
  sql: `SELECT t.id AS ticket_id, t.subject, c.name AS customer, t.priority, ${PRIORITY_RANK_SQL} AS priority_rank,
          t.status, t.assignee, t.opened_date
        FROM demo_tickets t
        LEFT JOIN demo_customers c ON c.organization_id = t.organization_id AND c.id = t.customer_id
        WHERE t.organization_id = :tenant AND t.status IN ('open', 'pending') AND t.opened_date <= :today
          AND (:priorities IS NULL OR t.priority IN (SELECT value FROM json_each(:priorities)))
          AND (:assignee IS NULL OR t.assignee = :assignee)
          AND (:opened_before IS NULL OR t.opened_date < :opened_before)`,
  values: (params, ctx) => {
    const today = localDate(ctx.now, ctx.timezone);
    return {
      today,
      priorities: params.priority ? JSON.stringify(params.priority) : null,
      assignee: params.assignee,
      opened_before: params.olderThanDays === undefined ? null : addDays(today, -params.olderThanDays),
    };
  },
  orderBy: ["priority_rank", "opened_date", "ticket_id"],
  columns: [
    { key: "ticket_id", label: "Ticket", type: "id" },
    { key: "subject", label: "Subject", type: "string" },
    { key: "customer", label: "Customer", type: "string" },
    { key: "priority", label: "Priority", type: "string" },
    { key: "status", label: "Status", type: "string" },
    { key: "assignee", label: "Assignee", type: "string" },
    { key: "opened_date", label: "Opened", type: "date" },
    { key: "age_days", label: "Age (days)", type: "integer" },
  ],
  row: (r, _params, ctx) => ({
    ticket_id: r.ticket_id as number,
    subject: r.subject as string,
    customer: r.customer as string | null,
    priority: r.priority as string,
    status: r.status as string,
    assignee: r.assignee as string | null,
    opened_date: r.opened_date as string,
    // Age is counted in the report's own calendar, so it matches what the reader sees as today.
    age_days: daysBetween(r.opened_date as string, localDate(ctx.now, ctx.timezone)),
  }),
  describe(params, ctx) {
    const parts = [`Open and pending tickets as of ${localDate(ctx.now, ctx.timezone)}`];
    parts.push(params.priority ? `priority ${params.priority.join(", ")}` : "all priorities");
    if (params.assignee !== undefined) parts.push(`assigned to ${params.assignee}`);
    if (params.olderThanDays !== undefined) parts.push(`older than ${params.olderThanDays} days`);
    return parts.join(", ");
  },
});
