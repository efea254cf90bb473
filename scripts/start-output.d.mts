export function migrationSummary(output: string): string;
export function createDevOutputFilter(): (line: string) => boolean;
