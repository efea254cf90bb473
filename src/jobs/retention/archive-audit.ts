import { and, asc, eq, gte, lt } from "drizzle-orm";
import { config } from "../../config";
import { createDb, type Db } from "../../db/client";
import { newerThan } from "../../db/keyset";
import { auditEvents } from "../../db/schema";
import { auditEventDto } from "../../domain/audit";
import { auditArchiveKey } from "../../storage/keys";

const DAY = 86_400_000;
/** Rows read at a time, and ids a delete statement takes (as one JSON parameter). */
const PAGE = 1000;

/**
 * What one run may do at most; the rest waits for the next run. Each archive costs a few D1 and
 * two R2 operations, so the object count keeps a run well inside a Worker's subrequests, and the
 * event count keeps the objects it holds in memory small.
 */
export const AUDIT_ARCHIVE_LIMITS = { events: 50_000, archives: 200 };

export type AuditArchiveResult = {
  auditEventsArchived: number;
  auditArchivesWritten: number;
  /** False when the run stopped at a limit: events past retention may be left for the next run. */
  auditFinished: boolean;
};

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
/** The order of the rows' (created_at, id) in SQLite: ISO times sort as the instants do, ids bytewise. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Moves audit events past AUDIT_RETENTION_DAYS from D1 to R2: per organization and UTC day, the
 * events go into `audit/{org}/{day}.ndjson` (storage/keys.ts), and then exactly those rows are
 * deleted. A whole day expires at once (the cutoff is the start of a UTC day), so an object is
 * usually written once. When it already exists (a run that stopped at a limit, an event written
 * late, or a run that died after the write and before the delete), its lines are read back and
 * merged by event id before the object is rewritten whole: every event is in its day's object
 * exactly once, however often a run is repeated or cut short.
 */
export async function archiveAuditEvents(env: Env, now: Date, limits = AUDIT_ARCHIVE_LIMITS): Promise<AuditArchiveResult> {
  const db = createDb(env.DB);
  const expiry = now.getTime() - config(env).auditRetentionDays * DAY;
  const cutoff = new Date(expiry - (expiry % DAY));
  const result: AuditArchiveResult = { auditEventsArchived: 0, auditArchivesWritten: 0, auditFinished: false };
  while (result.auditArchivesWritten < limits.archives && result.auditEventsArchived < limits.events) {
    const [oldest] = await db
      .select({ organizationId: auditEvents.organizationId, createdAt: auditEvents.createdAt })
      .from(auditEvents)
      .where(lt(auditEvents.createdAt, cutoff))
      .orderBy(asc(auditEvents.createdAt))
      .limit(1);
    if (!oldest) {
      result.auditFinished = true;
      break;
    }
    result.auditEventsArchived += await archiveDay(env, db, oldest.organizationId, dayOf(oldest.createdAt), limits.events - result.auditEventsArchived);
    result.auditArchivesWritten++;
  }
  return result;
}

/** Archives up to `budget` events of one organization's UTC day (oldest first); returns how many. */
async function archiveDay(env: Env, db: Db, organizationId: string, day: string, budget: number): Promise<number> {
  const start = new Date(`${day}T00:00:00Z`);
  const end = new Date(start.getTime() + DAY);
  const rows: (typeof auditEvents.$inferSelect)[] = [];
  while (rows.length < budget) {
    const last = rows.at(-1);
    const limit = Math.min(PAGE, budget - rows.length);
    const page = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, organizationId),
          gte(auditEvents.createdAt, start),
          lt(auditEvents.createdAt, end),
          newerThan(auditEvents.createdAt, auditEvents.id, last ? { at: last.createdAt.getTime(), id: last.id } : null),
        ),
      )
      .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
      .limit(limit);
    rows.push(...page);
    if (page.length < limit) break;
  }
  if (!rows.length) return 0;

  const key = auditArchiveKey(organizationId, day);
  const lines = new Map<string, { createdAt: string; line: string }>();
  const existing = await env.REPORTS.get(key);
  for (const line of existing ? (await existing.text()).split("\n") : []) {
    if (!line) continue;
    const event = JSON.parse(line) as { id: string; createdAt: string };
    lines.set(event.id, { createdAt: event.createdAt, line });
  }
  for (const row of rows) {
    const event = auditEventDto(row);
    lines.set(event.id, { createdAt: event.createdAt, line: JSON.stringify(event) });
  }
  const ordered = [...lines.entries()].sort(([idA, a], [idB, b]) => compare(a.createdAt, b.createdAt) || compare(idA, idB));
  await env.REPORTS.put(key, ordered.map(([, l]) => `${l.line}\n`).join(""), {
    httpMetadata: { contentType: "application/x-ndjson" },
    customMetadata: { events: String(ordered.length) },
  });

  // Only the rows just written leave D1, in one transaction; anything that arrived meanwhile waits.
  const ids: string[][] = [];
  for (let i = 0; i < rows.length; i += PAGE) ids.push(rows.slice(i, i + PAGE).map((r) => r.id));
  await env.DB.batch(
    ids.map((chunk) =>
      env.DB.prepare("delete from audit_events where organization_id = ?1 and id in (select value from json_each(?2))").bind(
        organizationId,
        JSON.stringify(chunk),
      ),
    ),
  );
  return rows.length;
}
