/** The key an organization's report queries are bound to as :tenant: its mapping, or its own id. */
export const tenantKeyOf = (org: { id: string; dataTenantKey: string | null }) => org.dataTenantKey ?? org.id;
