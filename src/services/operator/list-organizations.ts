import { organizations } from "../../db/schema";
import type { OperatorContext } from "./context";
import { toOperatorOrganizationDto } from "./dto";

const DAY = 86_400_000;

/** Every organization with what it uses: people, reports, runs finished in the last 30 days (from the rollups), stored bytes. */
export async function listOrganizations({ ctx }: { ctx: OperatorContext }) {
  const orgs = await ctx.db.select().from(organizations).orderBy(organizations.createdAt, organizations.id);
  const { results } = await ctx.env.DB.prepare(
    `select o.id,
            (select count(*) from users u where u.organization_id = o.id) as users,
            (select count(*) from scheduled_reports r where r.organization_id = o.id) as reports,
            (select coalesce(sum(x.n), 0) from execution_rollups x where x.organization_id = o.id and x.bucket_start >= ?1) as runs30d,
            coalesce((select u.storage_bytes from organization_usage u where u.organization_id = o.id),
                     (select coalesce(sum(e.file_size), 0) from report_executions e indexed by report_executions_live_files_idx
                       where e.organization_id = o.id and e.file_key is not null and e.file_expired_at is null)) as storage_bytes
       from organizations o`,
  )
    .bind(ctx.now.getTime() - 30 * DAY)
    .all<{ id: string; users: number; reports: number; runs30d: number; storage_bytes: number }>();
  const usage = new Map(results.map((r) => [r.id, r]));
  return {
    items: orgs.map((o) => {
      const u = usage.get(o.id);
      return {
        ...toOperatorOrganizationDto(o),
        usage: { users: u?.users ?? 0, reports: u?.reports ?? 0, runsLast30Days: u?.runs30d ?? 0, storageBytes: u?.storage_bytes ?? 0 },
      };
    }),
  };
}
