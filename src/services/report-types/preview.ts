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
  };
}
