import { config } from "../config";
import { fromBase64Url, toBase64Url } from "../lib/base64";
/*
 * Signed download links served by the Worker (not R2 presigned URLs): they can be audited per use
 * and name who they were issued to. A link is `base64url(payload).base64url(HMAC-SHA256)`, keyed
 * with a key derived from the root secret by HKDF under its own label, so that a link can never
 * pass as a session token and the root secret itself never signs a link. After the root secret is
 * replaced, links signed under the previous one (JWT_SECRET_PREVIOUS) still open until they expire.
 */
export const LINK_TTL_SECONDS = 7 * 24 * 3600;

export type FileLink = {
  executionId: string;
  organizationId: string;
  /** Who the link was issued to: "user:<id>", "key:<id>" or "delivery:<id>", recorded on every download. */
  issuedTo: string;
  expiresAt: number; // unix seconds
};

/** Whom a link asked for through the API is issued to: the person, or the API key. */
export const issuedToOf = (auth: { userId: string | null; apiKeyId: string | null }) => (auth.userId ? `user:${auth.userId}` : `key:${auth.apiKeyId}`);

const enc = new TextEncoder();

const keys = new Map<string, Promise<CryptoKey>>();

/** The file-link key: HKDF-SHA-256 of the root secret, info "scheduled-reports/file-links/v1". */
function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", enc.encode(secret), "HKDF", false, ["deriveKey"])
      .then((root) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: enc.encode("scheduled-reports/file-links/v1") },
          root,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign", "verify"],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

export async function signFileLink(secret: string, link: FileLink): Promise<string> {
  const payload = toBase64Url(enc.encode(JSON.stringify([link.executionId, link.organizationId, link.issuedTo, link.expiresAt])));
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await keyOf(secret), enc.encode(payload)));
  return `${payload}.${toBase64Url(sig)}`;
}

export type LinkCheck = { ok: true; link: FileLink } | { ok: false; reason: "invalid" | "expired" };

/**
 * A link whose signature holds (under `secret`, or under `previousSecret` when given) and whose time
 * has not run out; anything else says why not.
 */
export async function verifyFileLink(secret: string, token: string, nowSeconds: number, previousSecret?: string | null): Promise<LinkCheck> {
  const invalid = { ok: false, reason: "invalid" } as const;
  const [payload, sig, extra] = token.split(".");
  if (!payload || !sig || extra !== undefined) return invalid;
  try {
    const signature = fromBase64Url(sig);
    const signedUnder = async (s: string) => crypto.subtle.verify("HMAC", await keyOf(s), signature, enc.encode(payload));
    const ok = (await signedUnder(secret)) || (previousSecret ? await signedUnder(previousSecret) : false);
    if (!ok) return invalid;
    const [executionId, organizationId, issuedTo, expiresAt] = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
    if (typeof executionId !== "string" || typeof organizationId !== "string" || typeof issuedTo !== "string" || typeof expiresAt !== "number") return invalid;
    if (expiresAt <= nowSeconds) return { ok: false, reason: "expired" };
    return { ok: true, link: { executionId, organizationId, issuedTo, expiresAt } };
  } catch {
    return invalid;
  }
}

/** A link to an execution's file, valid LINK_TTL_SECONDS from `now`. */
export async function issueFileLink(env: Env, link: Omit<FileLink, "expiresAt">, now: Date) {
  const expiresAt = Math.floor(now.getTime() / 1000) + LINK_TTL_SECONDS;
  const { fileLinkSecret, appUrl } = config(env);
  const token = await signFileLink(fileLinkSecret, { ...link, expiresAt });
  return { url: fileLinkUrl(appUrl, token), expiresAt: new Date(expiresAt * 1000) };
}

/** How long the link to a test send's sample file works (the sample is kept as long). */
export const TEST_FILE_LINK_TTL_SECONDS = 24 * 3600;

/** A link to a test send's sample file (its id starts with `test-`), valid TEST_FILE_LINK_TTL_SECONDS from `now`. */
export async function issueTestFileLink(env: Env, link: Omit<FileLink, "expiresAt">, now: Date) {
  const expiresAt = Math.floor(now.getTime() / 1000) + TEST_FILE_LINK_TTL_SECONDS;
  const { fileLinkSecret, appUrl } = config(env);
  const token = await signFileLink(fileLinkSecret, { ...link, expiresAt });
  return { url: fileLinkUrl(appUrl, token), expiresAt: new Date(expiresAt * 1000) };
}

export function fileLinkUrl(appUrl: string, token: string): string {
  return `${appUrl.replace(/\/+$/, "")}/api/files/${token}`;
}
