// biome-ignore lint/suspicious/noExplicitAny: rows of any shape, as both drivers answer them
export type Queryable = { query(text: string, values?: unknown[]): Promise<{ rows: any[] }> };
export const BILLING_SCHEMA: string;
export function seedBilling(db: Queryable, tenant: string, opts?: { subscriptions?: number }): Promise<{ invoices: number }>;
