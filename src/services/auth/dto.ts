import type { organizations, users } from "../../db/schema";

export type UserRow = typeof users.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;

export const toUserDto = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  organizationId: u.organizationId,
  createdAt: u.createdAt.toISOString(),
});

export const toOrganizationDto = (o: OrganizationRow) => ({ id: o.id, name: o.name, createdAt: o.createdAt.toISOString() });
