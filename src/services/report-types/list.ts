import { isSourceConfigured, listReportTypes, parametersJsonSchema } from "../../reports/registry";
import type { ServiceContext } from "../context";
import { loadOrganization } from "../scheduled-reports/normalize";

/** Admins see every type with its switch; others only the types their organization has turned on. */
export async function listAvailableReportTypes({ ctx }: { ctx: ServiceContext }) {
  const org = await loadOrganization(ctx);
  // A type whose data source this deployment does not have (an optional Postgres) is not offered.
  const items = listReportTypes()
    .filter((t) => isSourceConfigured(ctx.env, t))
    .map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      formats: [...t.formats],
      source: { kind: t.source.kind, name: t.source.name },
      parameters: parametersJsonSchema(t),
      enabled: !org.disabledReportTypes.includes(t.id),
    }))
    .filter((t) => t.enabled || ctx.auth.role === "admin");
  return { items, nextCursor: null };
}
