// Cloudflare list prices (Workers Paid, USD) and the cost of one run from its counted operations.
// Marginal prices: the monthly included amounts are left out (at scale they are used up anyway).

export const PRICES_READ_ON = "2026-11-30";

export const PRICES = {
  workersRequest: { usd: 0.3 / 1e6, unit: "request", source: "https://developers.cloudflare.com/workers/platform/pricing/" },
  workersCpuMs: { usd: 0.02 / 1e6, unit: "CPU ms", source: "https://developers.cloudflare.com/workers/platform/pricing/" },
  d1RowRead: { usd: 0.001 / 1e6, unit: "row read", source: "https://developers.cloudflare.com/d1/platform/pricing/" },
  d1RowWritten: { usd: 1.0 / 1e6, unit: "row written", source: "https://developers.cloudflare.com/d1/platform/pricing/" },
  d1StorageGbMonth: { usd: 0.75, unit: "GB-month", source: "https://developers.cloudflare.com/d1/platform/pricing/" },
  queueOperation: { usd: 0.4 / 1e6, unit: "operation (64 KB written, read or deleted)", source: "https://developers.cloudflare.com/queues/platform/pricing/" },
  r2ClassA: { usd: 4.5 / 1e6, unit: "Class A operation", source: "https://developers.cloudflare.com/r2/pricing/" },
  r2ClassB: { usd: 0.36 / 1e6, unit: "Class B operation", source: "https://developers.cloudflare.com/r2/pricing/" },
  r2StorageGbMonth: { usd: 0.015, unit: "GB-month (Standard)", source: "https://developers.cloudflare.com/r2/pricing/" },
  doRequest: { usd: 0.15 / 1e6, unit: "request (each RPC call)", source: "https://developers.cloudflare.com/durable-objects/platform/pricing/" },
  doGbSecond: { usd: 12.5 / 1e6, unit: "GB-s (128 MB while active)", source: "https://developers.cloudflare.com/durable-objects/platform/pricing/" },
  doRowRead: { usd: 0.001 / 1e6, unit: "row read (SQLite storage)", source: "https://developers.cloudflare.com/durable-objects/platform/pricing/" },
  doRowWritten: { usd: 1.0 / 1e6, unit: "row written (SQLite storage)", source: "https://developers.cloudflare.com/durable-objects/platform/pricing/" },
};

/** What cannot be counted locally, and what is assumed instead (printed with the figures). */
export const ASSUMPTIONS = {
  doActiveMsPerRequest: 10,
  doRowsReadPerRequest: 1,
  doRowsWrittenPerRequest: 1,
  fileRetentionDays: 90,
  rowRetentionDays: 400,
  notes: [
    "CPU ms: the CPU time of the local workerd processes during the drain, per run. An upper bound: it includes local D1 (SQLite), R2, the queue broker and logging, which production does not bill as Worker CPU.",
    "Durable Object duration: 10 ms of activity (128 MB) per request; ReportLock keeps no connections or timers, so it may hibernate when a call ends.",
    "Durable Object storage: one row read and one row written per request (claim: select + insert or replace; release: delete); not counted, estimated from the code.",
    "Storage: the report file is kept 90 days (the organizations' default retention_days), the D1 rows of a run 400 days (ROW_RETENTION_DAYS); the D1 bytes are the database file's growth over the drain.",
    "Each invocation (the tick, every queue batch) is billed as one Workers request.",
    "Monthly included amounts are left out: marginal prices.",
  ],
};

const GB = 1e9;

/** The cost of one run from its per-run counts: each line with its quantity, unit price and USD. */
export function costPerRun(perRun, a = ASSUMPTIONS) {
  const line = (item, quantity, price) => ({ item, quantity, unitUsd: price.usd, usd: quantity * price.usd, unit: price.unit });
  const doRequests = perRun.doRequests;
  const lines = [
    line("Workers requests", perRun.workerInvocations, PRICES.workersRequest),
    line("Workers CPU ms (upper bound)", perRun.workerdCpuMs, PRICES.workersCpuMs),
    line("D1 rows read", perRun.d1RowsRead, PRICES.d1RowRead),
    line("D1 rows written", perRun.d1RowsWritten, PRICES.d1RowWritten),
    line("D1 storage (GB-months over the rows' retention)", ((perRun.d1Bytes ?? 0) / GB) * (a.rowRetentionDays / 30), PRICES.d1StorageGbMonth),
    line("Queue operations", perRun.queueOperations, PRICES.queueOperation),
    line("R2 Class A", perRun.r2ClassA, PRICES.r2ClassA),
    line("R2 Class B", perRun.r2ClassB, PRICES.r2ClassB),
    line("R2 storage (GB-months over the file's retention)", (perRun.fileBytes / GB) * (a.fileRetentionDays / 30), PRICES.r2StorageGbMonth),
    line("Durable Object requests", doRequests, PRICES.doRequest),
    line("Durable Object duration (GB-s, assumed)", doRequests * (a.doActiveMsPerRequest / 1000) * 0.128, PRICES.doGbSecond),
    line("Durable Object rows read (assumed)", doRequests * a.doRowsReadPerRequest, PRICES.doRowRead),
    line("Durable Object rows written (assumed)", doRequests * a.doRowsWrittenPerRequest, PRICES.doRowWritten),
  ];
  return { lines, usd: lines.reduce((n, l) => n + l.usd, 0) };
}
