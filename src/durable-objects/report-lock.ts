import { DurableObject } from "cloudflare:workers";

/** One per scheduled report: claims runs so that overlapping ticks never start one twice. */
export class ReportLock extends DurableObject<Env> {}
