import { RateLimitedError } from "../errors";

/** All our limiters count per minute (wrangler.toml `period = 60`). */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

/** Counts one request against every key; refuses it with 429 when any of them is over its limit. */
export async function enforceRateLimit(limiter: RateLimit, keys: string[], what: string) {
  const outcomes = await Promise.all(keys.map((key) => limiter.limit({ key })));
  if (outcomes.some((o) => !o.success)) throw new RateLimitedError(what, RATE_LIMIT_PERIOD_SECONDS);
}
