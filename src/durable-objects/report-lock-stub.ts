/**
 * The stub of a report's ReportLock, named by the report's id. Kept apart from the class so that code
 * which only calls the lock (request verbs, consumers) does not load `cloudflare:workers`.
 */
export const reportLock = (env: Env, scheduledReportId: string) => env.REPORT_LOCK.get(env.REPORT_LOCK.idFromName(scheduledReportId));
