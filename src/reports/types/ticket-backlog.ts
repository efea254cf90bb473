import { z } from "zod";
import { addDays, daysBetween, localDate } from "../date-range";
import { assertPageLimit, decodeCursor, encodeCursor, pageOf, queryRows, type ReportType, TICKET_PRIORITIES } from "../types";

const ID = "ticket_backlog";

const parameters = z.strictObject({
  priority: z
    .array(z.enum(TICKET_PRIORITIES))
    .min(1)
    .max(TICKET_PRIORITIES.length)
    .optional()
    .meta({ title: "Priorities", description: "Only these priorities; all when empty" }),
  assignee: z.string().trim().min(1).max(200).optional().meta({ title: "Assignee", description: "Only tickets assigned to this person" }),
  olderThanDays: z.int().min(0).max(3650).optional().meta({ title: "Older than (days)", description: "Only tickets open for more than this many days" }),
});
type Params = z.output<typeof parameters>;

/** [priority rank (0 = urgent), opened date, ticket id]. */
const cursorKey = z.tuple([
  z
    .int()
    .min(0)
    .max(TICKET_PRIORITIES.length - 1),
  z.iso.date(),
  z.int(),
]);

// Mirrors TICKET_PRIORITIES so SQL can sort urgent first; the values are constants, not input.
const PRIORITY_RANK_SQL = `CASE t.priority ${TICKET_PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(" ")} ELSE ${TICKET_PRIORITIES.length} END`;

type TicketRow = {
  id: number;
  subject: string;
  customer: string | null;
  priority: string;
  priority_rank: number;
  status: string;
  assignee: string | null;
  opened_date: string;
};

export const ticketBacklog: ReportType<Params> = {
  id: ID,
  name: "Ticket backlog",
  description: "Open and pending support tickets, most urgent and oldest first, with their age.",
  parameters,
  formats: ["csv", "xlsx", "pdf"],

  columns: () => [
    { key: "ticket_id", label: "Ticket", type: "integer" },
    { key: "subject", label: "Subject", type: "string" },
    { key: "customer", label: "Customer", type: "string" },
    { key: "priority", label: "Priority", type: "string" },
    { key: "status", label: "Status", type: "string" },
    { key: "assignee", label: "Assignee", type: "string" },
    { key: "opened_date", label: "Opened", type: "date" },
    { key: "age_days", label: "Age (days)", type: "integer" },
  ],

  async fetchPage(ctx, params, cursor, limit) {
    assertPageLimit(limit);
    const after = cursor === null ? null : decodeCursor(ID, cursor, cursorKey);
    const today = localDate(ctx.now, ctx.timezone);
    // Tickets opened after the run's local date are not yet part of that day's backlog.
    const where = ["t.organization_id = ?", "t.status IN ('open', 'pending')", "t.opened_date <= ?"];
    const binds: unknown[] = [ctx.organizationId, today];
    if (params.priority) {
      where.push(`t.priority IN (${params.priority.map(() => "?").join(", ")})`);
      binds.push(...params.priority);
    }
    if (params.assignee !== undefined) {
      where.push("t.assignee = ?");
      binds.push(params.assignee);
    }
    if (params.olderThanDays !== undefined) {
      where.push("t.opened_date < ?");
      binds.push(addDays(today, -params.olderThanDays));
    }
    if (after) {
      where.push(`(${PRIORITY_RANK_SQL}, t.opened_date, t.id) > (?, ?, ?)`);
      binds.push(after[0], after[1], after[2]);
    }
    const sql = `SELECT t.id, t.subject, c.name AS customer, t.priority, ${PRIORITY_RANK_SQL} AS priority_rank,
        t.status, t.assignee, t.opened_date
      FROM demo_tickets t
      LEFT JOIN demo_customers c ON c.organization_id = t.organization_id AND c.id = t.customer_id
      WHERE ${where.join(" AND ")}
      ORDER BY priority_rank, t.opened_date, t.id LIMIT ?`;
    const rows = await queryRows<TicketRow>(ctx, sql, [...binds, limit + 1]);
    const { pageRows, last } = pageOf(rows, limit);
    return {
      rows: pageRows.map((r) => ({
        ticket_id: r.id,
        subject: r.subject,
        customer: r.customer,
        priority: r.priority,
        status: r.status,
        assignee: r.assignee,
        opened_date: r.opened_date,
        // Age is counted in the report's own calendar, so it matches what the reader sees as today.
        age_days: daysBetween(r.opened_date, today),
      })),
      nextCursor: last ? encodeCursor(ID, [last.priority_rank, last.opened_date, last.id]) : null,
    };
  },

  describeParameters(params, ctx) {
    const parts = [`Open and pending tickets as of ${localDate(ctx.now, ctx.timezone)}`];
    parts.push(params.priority ? `priority ${params.priority.join(", ")}` : "all priorities");
    if (params.assignee !== undefined) parts.push(`assigned to ${params.assignee}`);
    if (params.olderThanDays !== undefined) parts.push(`older than ${params.olderThanDays} days`);
    return parts.join(", ");
  },
};
