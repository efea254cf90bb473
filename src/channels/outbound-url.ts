import type { DeliveryConfig } from "../config";
import { checkOutboundUrl, isLoopbackHost, isPrivateAddress } from "../lib/url-safety";
import { DeliveryFailure } from "./types";

/*
 * The send-time check of a Slack or webhook URL. The URL was checked when the recipient was saved,
 * but settings change (LOCAL_DEV off in production) and a public name can be re-pointed at a
 * private address later, so the literal check runs again and names are resolved (DNS over HTTPS)
 * and refused if any address is private. Workers cannot pin the connection to the address checked,
 * so a rebinding race remains; Cloudflare's edge does not route to private networks either.
 */
const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

async function resolve(config: DeliveryConfig, host: string, type: "A" | "AAAA"): Promise<string[]> {
  const url = `${config.dnsUrl}?name=${encodeURIComponent(host)}&type=${type}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: "application/dns-json" }, signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new DeliveryFailure("network", `Could not resolve ${host}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new DeliveryFailure("network", `Could not resolve ${host}: the resolver answered ${res.status}`);
  }
  const answer = (await res.json()) as { Answer?: { type: number; data: string }[] };
  const wanted = type === "A" ? 1 : 28;
  return (answer.Answer ?? []).filter((a) => a.type === wanted).map((a) => a.data);
}

export async function checkSendUrl(config: DeliveryConfig, raw: string, what: string): Promise<URL> {
  const check = checkOutboundUrl(raw, { allowLoopback: config.localDev });
  if (!check.ok) throw new DeliveryFailure("unsafe_url", `The ${what} URL ${check.reason}; nothing was sent`);
  const host = check.url.hostname;
  // Literals were fully checked above; loopback only passed because local development allows it.
  if (IP_LITERAL.test(host) || (config.localDev && isLoopbackHost(host))) return check.url;
  const addresses = [...(await resolve(config, host, "A")), ...(await resolve(config, host, "AAAA"))];
  const bad = addresses.find((a) => isPrivateAddress(a));
  if (bad) throw new DeliveryFailure("unsafe_url", `The ${what} host ${host} resolves to ${bad}, a private address; nothing was sent`);
  return check.url;
}
