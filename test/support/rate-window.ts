/**
 * The Workers Rate Limiting binding counts in windows aligned to the wall clock (every key rolls
 * over at the same instant each minute). A test that makes N+1 requests across a rollover would see
 * the count start again and the limit never reached. So a limiter test starts early in a window:
 * if less than `needMs` of the current minute is left, it waits for the next one.
 */
export async function startOfFreshWindow(needMs = 25_000, periodMs = 60_000) {
  const left = periodMs - (Date.now() % periodMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
