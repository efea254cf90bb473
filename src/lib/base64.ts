/*
 * Base64 and base64url of bytes and of UTF-8 text. btoa takes a "binary string", so bytes are
 * converted in chunks (one huge argument list would overflow the stack for large files).
 */
const CHUNK = 3 * 8190; // a multiple of 3, so that the pieces concatenate into one valid base64 string

export function toBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += CHUNK) out += btoa(String.fromCharCode(...bytes.subarray(i, i + CHUNK)));
  return out;
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export const toBase64Url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** Throws on anything that is not base64url. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  return fromBase64(text.replace(/-/g, "+").replace(/_/g, "/"));
}

export const textToBase64Url = (text: string) => toBase64Url(new TextEncoder().encode(text));
export const base64UrlToText = (text: string) => new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(fromBase64Url(text));

/** Size of `n` bytes once base64-encoded. */
export const base64Length = (n: number) => 4 * Math.ceil(n / 3);
