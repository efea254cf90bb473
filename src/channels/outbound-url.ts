import type { DeliveryConfig } from "../config";
import { checkOutboundUrl, isLoopbackHost, resolvedAddressProblem } from "../lib/url-safety";
import { DeliveryFailure } from "./types";

/*
 * The send-time check of a Slack or webhook URL. The URL was checked when the recipient was saved,
 * but settings change (LOCAL_DEV off in production) and a public name can be re-pointed at a
 * private address later, so the literal check runs again and names are resolved (DNS over HTTPS)
 * and refused if any address is private. Workers cannot pin the connection to the address checked,
 * so a rebinding race remains; Cloudflare's edge does not route to private networks either.
 */
const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/** DNS response codes that say something about the name: NOERROR and NXDOMAIN (it does not exist). */
const ANSWERED = new Set([0, 3]);

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
  const answer = (await res.json()) as { Status?: number; Answer?: { type: number; data: string }[] };
  // A SERVFAIL (or REFUSED...) is the resolver's trouble, not an empty name: worth another attempt
  // later, where refusing it as "no address" would fail the delivery for good.
  if (answer.Status !== undefined && !ANSWERED.has(answer.Status)) {
    throw new DeliveryFailure("network", `Could not resolve ${host}: the resolver answered DNS status ${answer.Status}`);
  }
  const wanted = type === "A" ? 1 : 28;
  return (answer.Answer ?? []).filter((a) => a.type === wanted).map((a) => a.data);
}

export async function checkSendUrl(config: DeliveryConfig, raw: string, what: string): Promise<URL> {
  const check = checkOutboundUrl(raw, { allowLoopback: config.localDev });
  if (!check.ok) throw new DeliveryFailure("unsafe_url", `The ${what} URL ${check.reason}; nothing was sent`);
  const host = check.url.hostname;
  // Literals were fully checked above; loopback only passed because local development allows it.
  if (IP_LITERAL.test(host) || (config.localDev && isLoopbackHost(host))) return check.url;
  // "hooks.example.com." is the same name as "hooks.example.com" (the root label, written out).
  const name = host.replace(/\.+$/, "");
  const [v4, v6] = await Promise.all([resolve(config, name, "A"), resolve(config, name, "AAAA")]);
  const addresses = [...v4, ...v6];
  // Nothing to check is no reason to pass: the fetch would resolve the name again on its own, and a
  // name that has no address now can be given a private one by then.
  if (addresses.length === 0) throw new DeliveryFailure("unsafe_url", `The ${what} host ${host} resolves to no address; nothing was sent`);
  for (const address of addresses) {
    const problem = resolvedAddressProblem(address);
    if (problem) throw new DeliveryFailure("unsafe_url", `The ${what} host ${host} resolves to ${problem}; nothing was sent`);
  }
  return check.url;
}
