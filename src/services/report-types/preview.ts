import { config } from "../../config";
import { tenantKeyOf } from "../../domain/tenants";
import type { ServiceContext } from "../context";
import { loadOrganization, normalizeParameters, requireEnabledReportType } from "../scheduled-reports/normalize";

export type PreviewInput = { parameters: Record<string, unknown>; timezone: string; limit: number };

/** The first rows the report would contain if it ran now, read through a replica session. */
export async function previewReportType({ ctx, id, input }: { ctx: ServiceContext; id: string; input: PreviewInput }) {
  const org = await loadOrganization(ctx);
  const type = requireEnabledReportType(ctx, org, id);
  const parameters = normalizeParameters(id, input.parameters);
  const queryCtx = { env: ctx.env, tenant: tenantKeyOf(org), now: ctx.now, timezone: input.timezone };
  const page = await type.fetchPage(queryCtx, parameters, null, input.limit);
  return {
    columns: type.columns(parameters),
    rows: page.rows,
    hasMore: page.nextCursor !== null,
    description: type.describeParameters(parameters, queryCtx),
    emptyHint: page.rows.length > 0 ? null : await emptyHint(ctx, type.source, queryCtx.tenant),
  };
}

/**
 * What is true of an empty preview for this source. The app's D1 database: sample data fills it
 * (Settings), unless this tenant already has it, when the parameters match nothing. A Postgres
 * source: under local development sample data fills its demo database too; deployed, it is the
 * company's own database, which sample data never touches: its rows reach the organization through
 * the tenant key the operator maps.
 */
async function emptyHint(ctx: ServiceContext, source: { kind: string; name: string }, tenant: string): Promise<string> {
  if (source.kind === "d1" && source.name === "DB") {
    const row = await ctx.env.DB.prepare("select exists(select 1 from demo_customers where organization_id = ?1) as loaded")
      .bind(tenant)
      .first<{ loaded: number }>();
    return row?.loaded
      ? "No rows match these parameters. This organization has data: try a wider date range or fewer filters."
      : "This organization has no data in the app's database yet: an admin can load the sample business in Settings, or the operator can map your own data to it.";
  }
  if (source.kind === "postgres" && config(ctx.env).localDev)
    return `No rows in the demo ${source.name} database (Postgres) for these parameters. Loading the sample business in Settings fills it for this organization too; if it is loaded, try a wider date range.`;
  return `No rows in ${source.name} (${source.kind === "postgres" ? "your company's Postgres" : "a D1 database"}) for this organization and these parameters. Its rows belong to the organization through the tenant key the operator maps; sample data does not fill it.`;
}
