import { toBase64Url } from "./base64";

/** A random, URL-safe secret of `bytes` bytes (256 bits by default). */
export const randomToken = (bytes = 32) => toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));

/** SHA-256 as hex: how one-time tokens are stored (the token itself never is). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two secrets in constant time (both are hashed first, so their lengths do not leak either). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map((s) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(s))));
  return crypto.subtle.timingSafeEqual(x!, y!);
}

/**
 * Values published as examples: the .dev.vars.example placeholder and the defaults of well-known
 * tools (jwt.io's). Long enough to pass a length check, known to everyone.
 */
export const KNOWN_EXAMPLE_SECRETS: ReadonlySet<string> = new Set([
  "replace-with-at-least-32-random-characters",
  "a-string-secret-at-least-256-bits-long",
  "your-256-bit-secret-your-256-bit-secret",
]);

/** The strength a secret must have: what 16 random bytes give. */
export const MIN_SECRET_BITS = 128;

/**
 * A conservative estimate of a secret's strength in bits: its length times the Shannon entropy of its
 * own characters. Repetition costs (32 × "a" is 0 bits, "ab" repeated 1 bit a character); random
 * base64url of 32 bytes estimates about 210 bits. It under-counts short random strings of a small
 * alphabet (32 hex characters, 128 real bits, estimate about 115), hence the advice for 48 bytes.
 */
export function estimateSecretBits(secret: string): number {
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) perChar -= (n / chars.length) * Math.log2(n / chars.length);
  return Math.floor(perChar * chars.length);
}

/** Why a secret is too weak to use (a known example, one repeated character, under MIN_SECRET_BITS), or null. */
export function secretWeakness(secret: string): string | null {
  const generate = "generate one (openssl rand -base64 48)";
  if (KNOWN_EXAMPLE_SECRETS.has(secret)) return `is still the example value; ${generate}`;
  if (new Set(secret).size <= 1) return `is one character repeated; ${generate}`;
  const bits = estimateSecretBits(secret);
  if (bits < MIN_SECRET_BITS) return `is too weak (about ${bits} bits estimated, at least ${MIN_SECRET_BITS} needed); ${generate}`;
  return null;
}
