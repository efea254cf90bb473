import { fromBase64Url, toBase64Url } from "./base64";

/*
 * Secrets we must be able to read back (a Slack bot token), kept encrypted at rest: AES-256-GCM
 * under a key derived from the root secret (JWT_SECRET) by HKDF-SHA-256 with a label of its own,
 * as the download-link key is (src/storage/links.ts). The root secret itself never encrypts
 * anything, and a key for one purpose can never open another's. The caller's `context` (the
 * organization id) is bound as additional data, so a sealed value copied to another row does not open.
 * Format: `v1.<iv>.<ciphertext+tag>`, base64url. Rotating JWT_SECRET makes old values unreadable:
 * they must be entered again (for Slack: connect the app again).
 */
const enc = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function keyOf(rootSecret: string, label: string): Promise<CryptoKey> {
  const cacheKey = `${label}\u0000${rootSecret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", enc.encode(rootSecret), "HKDF", false, ["deriveKey"])
      .then((root) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: enc.encode(label) },
          root,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    keys.set(cacheKey, key);
  }
  return key;
}

export async function seal(rootSecret: string, label: string, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: enc.encode(context) },
    await keyOf(rootSecret, label),
    enc.encode(plaintext),
  );
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** The plaintext, or null when the value was not sealed with this key, label and context (or was tampered with). */
export async function unseal(rootSecret: string, label: string, value: string, context: string): Promise<string | null> {
  const [version, iv, data, extra] = value.split(".");
  if (version !== "v1" || !iv || !data || extra !== undefined) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64Url(iv), additionalData: enc.encode(context) },
      await keyOf(rootSecret, label),
      fromBase64Url(data),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
