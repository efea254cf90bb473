import type { organizations } from "../../db/schema";
import { tenantKeyOf } from "../../domain/tenants";

export const toOperatorOrganizationDto = (o: typeof organizations.$inferSelect) => ({
  id: o.id,
  name: o.name,
  dataTenantKey: tenantKeyOf(o),
  createdAt: o.createdAt.toISOString(),
});
