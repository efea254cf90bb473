import { fromBase64, toBase64 } from "../lib/base64";

/*
 * Standard Webhooks (https://www.standardwebhooks.com): a secret is `whsec_` + base64 of random
 * bytes; the signature is `v1,` + base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed with the
 * decoded bytes; several signatures are separated by spaces (how a rotation signs with both keys).
 * Resend signs its own webhooks the same way (through Svix), so verification lives here too.
 */
const PREFIX = "whsec_";
const enc = new TextEncoder();

export function newWebhookSecret(): string {
  return PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

function keyOf(secret: string, usage: "sign" | "verify") {
  const raw = fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret);
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

export async function signatureFor(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await keyOf(secret, "sign"), enc.encode(`${id}.${timestamp}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The `webhook-signature` header value: one signature per secret, space-separated. */
export async function signWithAll(secrets: string[], id: string, timestamp: number, body: string): Promise<string> {
  return (await Promise.all(secrets.map((s) => signatureFor(s, id, timestamp, body)))).join(" ");
}

/** True when one of the header's v1 signatures is right and the timestamp is within `toleranceSeconds` of now. */
export async function verifySignature(
  secret: string,
  headers: { id: string | null; timestamp: string | null; signature: string | null },
  body: string,
  now: Date,
  toleranceSeconds = 300,
): Promise<boolean> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const key = await keyOf(secret, "verify").catch(() => null);
  if (!key) return false;
  const data = enc.encode(`${id}.${timestamp}.${body}`);
  for (const part of signature.split(" ")) {
    const [version, value] = part.split(",");
    if (version !== "v1" || !value) continue;
    let mac: Uint8Array;
    try {
      mac = fromBase64(value);
    } catch {
      continue;
    }
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify("HMAC", key, mac, data)) return true;
  }
  return false;
}
