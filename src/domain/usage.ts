/*
 * The scans below name the live-files index: SQLite's planner, without statistics, may otherwise
 * walk every execution of the organization through another index that starts with its id.
 *
 * An organization's usage counters (organization_usage): the bytes of its live report files and the
 * report emails sent today (UTC). Counters, not scans: the bytes are added in the batch that records
 * a run's file and taken off in the batch that expires files, so reading them is one row.
 *
 * The row does not exist until first used. Every statement that may create it computes the starting
 * bytes from a scan of the organization's live files in the same statement (`LIVE_FILE_BYTES`), so an
 * organization with files from before the counter, or from code that ran during a deploy, starts
 * right, and concurrent first uses cannot both count (D1 runs one statement at a time).
 */

/** The bytes of the organization's live files (?1), from the executions. */
const LIVE_FILE_BYTES = `(select coalesce(sum(file_size), 0) from report_executions indexed by report_executions_live_files_idx
   where organization_id = ?1 and file_key is not null and file_expired_at is null)`;
/** How many live files the organization (?1) has, from the executions. */
const LIVE_FILE_COUNT = `(select count(*) from report_executions indexed by report_executions_live_files_idx
   where organization_id = ?1 and file_key is not null and file_expired_at is null)`;

/** The UTC day a send counts for: YYYY-MM-DD. */
export const usageDay = (now: Date) => now.toISOString().slice(0, 10);

export type Usage = { storageBytes: number; emailsToday: number };

/** The organization's usage now, creating its counter row (from a scan) on first use. */
export async function usageOf(d1: D1Database, organizationId: string, now: Date): Promise<Usage> {
  const [, row] = await d1.batch([
    d1
      .prepare(
        `insert into organization_usage (organization_id, storage_bytes, storage_files, emails_day, emails_sent, updated_at)
         select ?1, ${LIVE_FILE_BYTES}, ${LIVE_FILE_COUNT}, '', 0, ?2 where exists (select 1 from organizations where id = ?1)
         on conflict (organization_id) do nothing`,
      )
      .bind(organizationId, now.getTime()),
    d1
      .prepare(
        "select storage_bytes as storageBytes, case when emails_day = ?2 then emails_sent else 0 end as emailsToday from organization_usage where organization_id = ?1",
      )
      .bind(organizationId, usageDay(now)),
  ]);
  const usage = (row?.results?.[0] as Usage | undefined) ?? { storageBytes: 0, emailsToday: 0 };
  return usage;
}

/**
 * Creates the counter row of every organization that has none yet (from a scan of its files): the
 * scans across organizations (the storage alert) then read counters only. After the first time,
 * only organizations created since have no row.
 */
export function createMissingUsageStatement(d1: D1Database, now: Date) {
  return d1
    .prepare(
      `insert into organization_usage (organization_id, storage_bytes, storage_files, emails_day, emails_sent, updated_at)
       select o.id, (select coalesce(sum(e.file_size), 0) from report_executions e indexed by report_executions_live_files_idx
                      where e.organization_id = o.id and e.file_key is not null and e.file_expired_at is null),
              (select count(*) from report_executions e indexed by report_executions_live_files_idx
                      where e.organization_id = o.id and e.file_key is not null and e.file_expired_at is null), '', 0, ?1
         from organizations o where not exists (select 1 from organization_usage u where u.organization_id = o.id)
       on conflict (organization_id) do nothing`,
    )
    .bind(now.getTime());
}

/**
 * For the batch that completes a run: adds the file's bytes, only if the execution is still running
 * when the batch runs (put it before the statement that completes it: the batch is one transaction,
 * so either both see `running` or neither does, and a redelivered completion adds nothing).
 */
export function fileRecordedStatement(d1: D1Database, file: { organizationId: string; executionId: string; bytes: number; files: number }, now: Date) {
  return d1
    .prepare(
      `insert into organization_usage (organization_id, storage_bytes, storage_files, emails_day, emails_sent, updated_at)
       select ?1, ${LIVE_FILE_BYTES} + ?2, ${LIVE_FILE_COUNT} + ?5, '', 0, ?3
        where exists (select 1 from report_executions where id = ?4 and organization_id = ?1 and status = 'running')
       on conflict (organization_id) do update set storage_bytes = storage_bytes + ?2, storage_files = storage_files + ?5, updated_at = ?3`,
    )
    .bind(file.organizationId, file.bytes, now.getTime(), file.executionId, file.files);
}

/**
 * For the batch that expires files (retention): takes the bytes of those of the executions (a JSON array of ids) whose file
 * is still live off their organizations' counters. Put it before the statement that marks them
 * expired, in the same batch, so a file is taken off once.
 */
export function filesExpiredStatement(d1: D1Database, executionIdsJson: string, now: Date) {
  return d1
    .prepare(
      `with gone as (
         select organization_id as org, sum(file_size) as bytes, count(*) as files from report_executions
          where id in (select value from json_each(?1)) and file_key is not null and file_expired_at is null group by organization_id)
       update organization_usage set storage_bytes = max(0, storage_bytes - (select bytes from gone where org = organization_usage.organization_id)),
              storage_files = max(0, storage_files - (select files from gone where org = organization_usage.organization_id)), updated_at = ?2
        where organization_id in (select org from gone)`,
    )
    .bind(executionIdsJson, now.getTime());
}

/**
 * Counts one report email against today's quota, if there is room: true when counted. One statement,
 * so concurrent consumers cannot both take the last one.
 */
export async function claimEmail(d1: D1Database, organizationId: string, limit: number, now: Date): Promise<boolean> {
  if (limit <= 0) return false;
  const row = await d1
    .prepare(
      `insert into organization_usage (organization_id, storage_bytes, storage_files, emails_day, emails_sent, updated_at)
       select ?1, ${LIVE_FILE_BYTES}, ${LIVE_FILE_COUNT}, ?2, 1, ?3 where true
       on conflict (organization_id) do update
         set emails_sent = case when emails_day = ?2 then emails_sent + 1 else 1 end, emails_day = ?2, updated_at = ?3
         where emails_day != ?2 or emails_sent < ?4
       returning emails_sent`,
    )
    .bind(organizationId, usageDay(now), now.getTime(), limit)
    .first();
  return row !== null;
}

/** Gives back an email counted by `claimEmail` whose send failed (same `now`: the same day). */
export async function returnEmail(d1: D1Database, organizationId: string, now: Date) {
  await d1
    .prepare("update organization_usage set emails_sent = emails_sent - 1, updated_at = ?3 where organization_id = ?1 and emails_day = ?2 and emails_sent > 0")
    .bind(organizationId, usageDay(now), now.getTime())
    .run();
}
