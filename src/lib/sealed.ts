import { fromBase64Url, toBase64Url } from "./base64";

/*
 * Secrets we must be able to read back (a Slack bot token, a webhook signing secret), kept
 * encrypted at rest: AES-256-GCM under a key derived from the root secret (JWT_SECRET) by
 * HKDF-SHA-256 with a label of its own, as the download-link key is (src/storage/links.ts). The root
 * secret itself never encrypts anything, and a key for one purpose can never open another's. The
 * caller's `context` (the organization id) is bound as additional data, so a sealed value copied to
 * another row does not open.
 *
 * Format: `v2.<key id>.<iv>.<ciphertext+tag>` (base64url), where the key id is the first 8 hex
 * characters of the SHA-256 of the derived key: it names the key without revealing it, so a value
 * sealed under a previous root secret is recognised as such (`other_key`) instead of failing like a
 * damaged one. Values in the earlier format `v1.<iv>.<ciphertext+tag>` (no key id) are still read;
 * one that does not open cannot say why (`unreadable`).
 *
 * Rotation: with the previous root secret given (JWT_SECRET_PREVIOUS), a value sealed under it still
 * opens, marked `stale`, as does any v1 value: its reader seals it again under the current key and
 * writes it back (the callers in src/domain/), so values move to the new key as they are used.
 */
const enc = new TextEncoder();
type DerivedKey = { key: CryptoKey; id: string };
/** The root secret values are sealed under, and the one they were sealed under before it (until every value moved). */
export type RootSecrets = { current: string; previous: string | null };
const keys = new Map<string, Promise<DerivedKey>>();

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function derive(rootSecret: string, label: string): Promise<DerivedKey> {
  const root = await crypto.subtle.importKey("raw", enc.encode(rootSecret), "HKDF", false, ["deriveBits"]);
  // The same 256 bits deriveKey(AES-GCM 256) would give, so values sealed in the v1 format still open.
  const bits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: enc.encode(label) }, root, 256);
  const key = await crypto.subtle.importKey("raw", bits, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { key, id: hex(await crypto.subtle.digest("SHA-256", bits)).slice(0, 8) };
}

function keyOf(rootSecret: string, label: string): Promise<DerivedKey> {
  const cacheKey = `${label}\u0000${rootSecret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = derive(rootSecret, label);
    keys.set(cacheKey, key);
  }
  return key;
}

/** The id of the key values are sealed under now, for this root secret and label. */
export const sealingKeyId = async (rootSecret: string, label: string) => (await keyOf(rootSecret, label)).id;

export async function seal(rootSecret: string, label: string, plaintext: string, context: string): Promise<string> {
  const { key, id } = await keyOf(rootSecret, label);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(context) }, key, enc.encode(plaintext));
  return `v2.${id}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

export type Opened =
  /** `stale`: sealed under the previous root secret or in the v1 format; seal it again under the current key. */
  | { ok: true; plaintext: string; stale?: true }
  /** Sealed under another key (the root secret was replaced): it must be entered again or rotated. */
  | { ok: false; reason: "other_key"; keyId: string; currentKeyId: string }
  /** Not a sealed value, damaged, sealed for another context, or a v1 value that does not open. */
  | { ok: false; reason: "unreadable" };

async function decrypt(key: CryptoKey, iv: string, data: string, context: string): Promise<string | null> {
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(iv), additionalData: enc.encode(context) }, key, fromBase64Url(data));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

/**
 * Opens a sealed value and, when it does not open, says whether it belongs to another key. With
 * `previousRootSecret`, a value sealed under that secret opens too, marked stale.
 */
export async function openSealed(rootSecret: string, label: string, value: string, context: string, previousRootSecret?: string | null): Promise<Opened> {
  const parts = value.split(".");
  const current = await keyOf(rootSecret, label);
  const previous = previousRootSecret ? await keyOf(previousRootSecret, label) : null;
  if (parts[0] === "v2" && parts.length === 4) {
    const [, keyId, iv, data] = parts as [string, string, string, string];
    if (!/^[0-9a-f]{8}$/.test(keyId)) return { ok: false, reason: "unreadable" };
    const key = keyId === current.id ? current : keyId === previous?.id ? previous : null;
    if (!key) return { ok: false, reason: "other_key", keyId, currentKeyId: current.id };
    if (!iv || !data) return { ok: false, reason: "unreadable" };
    const plaintext = await decrypt(key.key, iv, data, context);
    if (plaintext === null) return { ok: false, reason: "unreadable" };
    return key === current ? { ok: true, plaintext } : { ok: true, plaintext, stale: true };
  }
  if (parts[0] === "v1" && parts.length === 3 && parts[1] && parts[2]) {
    // No key id: try the current key, then the previous one. Either way it moves to the v2 format.
    for (const key of previous ? [current, previous] : [current]) {
      const plaintext = await decrypt(key.key, parts[1], parts[2], context);
      if (plaintext !== null) return { ok: true, plaintext, stale: true };
    }
  }
  return { ok: false, reason: "unreadable" };
}

/** The plaintext, or null when the value was not sealed with this key, label and context (or was tampered with). */
export async function unseal(rootSecret: string, label: string, value: string, context: string): Promise<string | null> {
  const opened = await openSealed(rootSecret, label, value, context);
  return opened.ok ? opened.plaintext : null;
}

/** Why a sealed value cannot be used, in words for an error message. */
export function unopenedReason(opened: Exclude<Opened, { ok: true }>): string {
  return opened.reason === "other_key"
    ? `it was sealed under another root secret (key id ${opened.keyId}; the current key id is ${opened.currentKeyId}), so JWT_SECRET was replaced since (JWT_SECRET_PREVIOUS set to the replaced secret would open it)`
    : "it does not open with the current key (sealed before key ids were recorded under another root secret, or damaged)";
}
