/** Lowercase words joined by dashes: safe in keys, URLs and Content-Disposition. */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return slug || "report";
}

/** The local calendar date and time of an instant in a timezone, as 2026-11-30_0900. */
function localStamp(at: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}_${parts.hour}${parts.minute}`;
}

export function reportFileName(reportName: string, scheduledFor: Date, timezone: string, extension: string): string {
  return `${slugify(reportName)}_${localStamp(scheduledFor, timezone)}.${extension}`;
}

/** `{org}/{report}/{execution}/{readable-name}.{ext}`: listing by organization or report is a prefix scan. */
export function reportFileKey(ids: { organizationId: string; scheduledReportId: string; executionId: string }, fileName: string): string {
  return `${ids.organizationId}/${ids.scheduledReportId}/${ids.executionId}/${fileName}`;
}

/**
 * `test-files/{org}/{id}/{name}`: the sample file of a "send a test", kept for its link's 24 hours
 * and deleted by retention after that (by the object's upload time).
 */
export const TEST_FILES_PREFIX = "test-files/";
export const testFileKey = (organizationId: string, id: string, fileName: string) => `${TEST_FILES_PREFIX}${organizationId}/${id}/${fileName}`;

/** The organization's PDF logo, fetched once and kept (with the URL it came from) so renders fetch nothing. */
export const brandingLogoKey = (organizationId: string) => `branding/${organizationId}/logo`;

/**
 * `audit/{org}/{YYYY-MM-DD}.ndjson`: the organization's audit events of one UTC day, archived by
 * retention before they leave D1. One object per organization and day, rewritten whole, so that a
 * retention run that died after writing it and before deleting the rows writes the same object again.
 */
export const auditArchivePrefix = (organizationId: string) => `audit/${organizationId}/`;
export const auditArchiveKey = (organizationId: string, day: string) => `${auditArchivePrefix(organizationId)}${day}.ndjson`;
