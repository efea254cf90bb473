// biome-ignore lint/suspicious/noExplicitAny: a wrangler configuration as wrangler reads it from its file
export type WranglerConfig = Record<string, any>;
export const PRODUCTION_CONFIG: string;
export function isPlaceholderId(id: unknown): boolean;
export function deployProblems(config: WranglerConfig, options?: { public?: boolean }): string[];
export function refusal(configPath: string, problems: string[]): string;
export function deploySteps(configPath: string): [string, string[]][];
export function queueNames(config: WranglerConfig): string[];
export function createdId(output: string, kind: "d1" | "hyperdrive"): string | null;
export function productionConfig(
  config: WranglerConfig,
  answers: {
    d1Id: string;
    hyperdriveId?: string | null;
    appUrl: string;
    emailFrom: string;
    operatorEmail: string;
    signup?: "open" | "closed";
    emailProvider?: string;
    ratelimitBase?: number;
  },
): WranglerConfig;
