import { checkSendUrl } from "../../channels/outbound-url";
import { DeliveryFailure } from "../../channels/types";
import type { DeliveryConfig } from "../../config";
import { toBase64 } from "../../lib/base64";
import { brandingLogoKey } from "../../storage/keys";

/*
 * The organization's logo, for its PDFs. Chromium renders the report with every request refused
 * (renderers/pdf.ts), so the logo reaches the page only as a data: URL, fetched here on the server
 * through the outbound URL guard: https to a public address (loopback only in local development),
 * names resolved and checked, no redirects, 5 s, at most 512 KB, and a raster image only: PNG, JPEG,
 * GIF or WebP, its first bytes matching the type it claims. SVG is refused: it can carry script and
 * links of its own. A logo is fetched once per organization and URL and kept in R2 (saving the
 * branding settings again fetches it afresh); one that fails the checks is left out of the PDF,
 * and the caller logs why.
 */
export const LOGO_MAX_BYTES = 512 * 1024;
export const LOGO_TIMEOUT_MS = 5_000;

const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  "image/png": (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x),
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/gif": (b) => String.fromCharCode(...b.subarray(0, 4)) === "GIF8",
  "image/webp": (b) => String.fromCharCode(...b.subarray(0, 4)) === "RIFF" && String.fromCharCode(...b.subarray(8, 12)) === "WEBP",
};
export const LOGO_TYPES = Object.keys(SIGNATURES);

export type Logo = { ok: true; dataUrl: string; fetched: boolean } | { ok: false; reason: string };

class Refused extends Error {}

/** The body, read up to the limit: a server that lies about (or omits) its length is cut off all the same. */
async function readCapped(res: Response): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > LOGO_MAX_BYTES) {
    await res.body?.cancel();
    throw new Refused(`it is ${declared} bytes, over the ${LOGO_MAX_BYTES / 1024} KB limit`);
  }
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.byteLength;
    if (size > LOGO_MAX_BYTES) {
      await reader?.cancel();
      throw new Refused(`it is over the ${LOGO_MAX_BYTES / 1024} KB limit`);
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

async function download(config: DeliveryConfig, url: string): Promise<{ bytes: Uint8Array; type: string }> {
  try {
    const checked = await checkSendUrl(config, url, "PDF logo");
    const res = await fetch(checked.toString(), {
      headers: { accept: LOGO_TYPES.join(", ") },
      redirect: "manual",
      signal: AbortSignal.timeout(LOGO_TIMEOUT_MS),
    });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new Refused(`the server answered ${res.status} (a redirect), and redirects are not followed`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Refused(`the server answered ${res.status}`);
    }
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!SIGNATURES[type]) {
      await res.body?.cancel();
      throw new Refused(
        `its type is ${type || "not given"}, not PNG, JPEG, GIF or WebP${type === "image/svg+xml" ? " (SVG is refused: it can carry script)" : ""}`,
      );
    }
    const bytes = await readCapped(res);
    if (!SIGNATURES[type](bytes)) throw new Refused(`its content is not a ${type.slice(6).toUpperCase()} image, as its type claims`);
    return { bytes, type };
  } catch (err) {
    if (err instanceof Refused) throw err;
    if (err instanceof DeliveryFailure) throw new Refused(err.message.replace(/; nothing was sent$/, "").replace(/^The PDF logo /, ""));
    const name = err instanceof Error ? err.name : "";
    if (name === "TimeoutError" || name === "AbortError") throw new Refused(`it did not arrive within ${LOGO_TIMEOUT_MS / 1000} s`);
    throw new Refused(`it could not be fetched: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300));
  }
}

const dataUrl = (type: string, bytes: Uint8Array) => `data:${type};base64,${toBase64(bytes)}`;

/** The logo at `url` as a data: URL, from the organization's cached copy when it is of this URL. */
export async function loadLogo(env: Env, config: DeliveryConfig, organizationId: string, url: string): Promise<Logo> {
  const key = brandingLogoKey(organizationId);
  const cached = await env.REPORTS.get(key);
  if (cached && cached.customMetadata?.url === url && cached.httpMetadata?.contentType) {
    return { ok: true, dataUrl: dataUrl(cached.httpMetadata.contentType, new Uint8Array(await cached.arrayBuffer())), fetched: false };
  }
  await cached?.body.cancel();
  try {
    const { bytes, type } = await download(config, url);
    await env.REPORTS.put(key, bytes, { httpMetadata: { contentType: type }, customMetadata: { url } });
    return { ok: true, dataUrl: dataUrl(type, bytes), fetched: true };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: `The PDF logo ${url} was left out: ${err.message}` };
    throw err;
  }
}

/** Forgets the cached logo (the branding settings were saved): the next PDF fetches it again. */
export const forgetLogo = (env: Env, organizationId: string) => env.REPORTS.delete(brandingLogoKey(organizationId));
