/*
 * Outbound URLs (webhooks, Slack) must not reach our own network or a cloud's metadata service.
 * The WHATWG URL parser already turns decimal, hex and octal hosts ("2130706433", "0x7f.1") into
 * dotted IPv4 and rewrites IPv6 literals in their short form ("[::ffff:127.0.0.1]" becomes
 * "[::ffff:7f00:1]"), so checking the parsed hostname covers those encodings too. DNS names that
 * resolve to private addresses are checked again when sending.
 */
export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Names that stay inside a machine or a network whatever public DNS says about them. */
const BLOCKED_NAMES: [RegExp, string][] = [
  [/(^|\.)localhost$/, "a localhost name"],
  [/\.local$/, "a .local (multicast DNS) name"],
  [/\.internal$/, "an .internal name, such as a cloud's metadata service"],
  [/^metadata$/, "a cloud metadata service name"],
];

/*
 * A receiver on the public internet listens on 443, or on 8443, the usual second HTTPS port. Any
 * other port on a public name is more likely something that was never meant to get our requests
 * (SSH, a database, an admin console) than a webhook receiver. "" is 443: the URL parser drops a
 * scheme's default port.
 */
const HTTPS_PORTS = new Set(["", "8443"]);

/** IPv4 ranges we never send to, with what to call them in an error. */
const IPV4_RANGES: [string, number, string][] = [
  ["0.0.0.0", 8, 'the "this network" range (0.0.0.0/8)'],
  ["10.0.0.0", 8, "a private address (10.0.0.0/8)"],
  ["100.64.0.0", 10, "a carrier-grade NAT address (100.64.0.0/10)"],
  ["127.0.0.0", 8, "a loopback address (127.0.0.0/8)"],
  ["169.254.0.0", 16, "a link-local address, where cloud metadata services answer (169.254.0.0/16)"],
  ["172.16.0.0", 12, "a private address (172.16.0.0/12)"],
  // The whole /16, as before: it holds IETF protocol assignments (192.0.0.0/24) and documentation (192.0.2.0/24).
  ["192.0.0.0", 16, "an IETF special-purpose or documentation address (192.0.0.0/16)"],
  ["192.168.0.0", 16, "a private address (192.168.0.0/16)"],
  ["198.18.0.0", 15, "a benchmarking address (198.18.0.0/15)"],
  ["224.0.0.0", 4, "a multicast address (224.0.0.0/4)"],
  ["240.0.0.0", 4, "a reserved or broadcast address (240.0.0.0/4)"],
];

function ipv4Parts(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

const ipv4Number = ([a = 0, b = 0, c = 0, d = 0]: number[]) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const IPV4_BLOCKS = IPV4_RANGES.map(([base, bits, label]) => ({ base: ipv4Number(ipv4Parts(base)!), bits, label }));

function ipv4Problem(parts: number[]): string | null {
  const ip = ipv4Number(parts);
  return IPV4_BLOCKS.find((r) => (ip ^ r.base) >>> (32 - r.bits) === 0)?.label ?? null;
}

/**
 * The eight 16-bit groups of an IPv6 address written without brackets, or null if it is not one.
 * Parsed rather than matched as text, because one address has many spellings ("::1", "0::0:1",
 * "::0.0.0.1"): "::" stands for one or more zero groups, and the last 32 bits may be dotted IPv4.
 */
function ipv6Groups(text: string): number[] | null {
  const halves = text.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const groups = (part: string, mayEndInIpv4: boolean): number[] | null => {
    if (part === "") return [];
    const fields = part.split(":");
    const out: number[] = [];
    for (const [i, field] of fields.entries()) {
      if (/^[0-9a-f]{1,4}$/.test(field)) {
        out.push(Number.parseInt(field, 16));
        continue;
      }
      const v4 = mayEndInIpv4 && i === fields.length - 1 ? ipv4Parts(field) : null;
      if (!v4) return null;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    }
    return out;
  };
  const left = groups(halves[0]!, !compressed);
  const right = compressed ? groups(halves[1]!, true) : [];
  if (!left || !right) return null;
  if (!compressed) return left.length === 8 ? left : null;
  const fill = 8 - left.length - right.length;
  return fill >= 1 ? [...left, ...Array<number>(fill).fill(0), ...right] : null;
}

/** IPv6 ranges we never send to (besides the ones that carry an IPv4 address, see ipv6Problem). */
const IPV6_RANGES: [string, number, string][] = [
  ["64:ff9b:1::", 48, "a local-use NAT64 address (64:ff9b:1::/48)"],
  ["100::", 64, "a discard-only address (100::/64)"],
  ["2001::", 32, "a Teredo tunnel address (2001::/32)"],
  ["2001::", 23, "an IETF protocol assignment (2001::/23)"],
  ["2001:db8::", 32, "a documentation address (2001:db8::/32)"],
  ["3fff::", 20, "a documentation address (3fff::/20)"],
  ["fc00::", 7, "a unique local (private) address (fc00::/7)"],
  ["fe80::", 10, "a link-local address (fe80::/10)"],
  ["fec0::", 10, "a site-local address (fec0::/10, deprecated)"],
  ["ff00::", 8, "a multicast address (ff00::/8)"],
];

const IPV6_BLOCKS = IPV6_RANGES.map(([prefix, bits, label]) => ({ prefix: ipv6Groups(prefix)!, bits, label }));

function inIpv6Block(g: number[], { prefix, bits }: { prefix: number[]; bits: number }): boolean {
  return prefix.every((p, i) => {
    const n = Math.min(16, Math.max(0, bits - 16 * i));
    return n === 0 || (g[i]! ^ p) >> (16 - n) === 0;
  });
}

function ipv6Problem(g: number[]): string | null {
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  // Forms that carry an IPv4 address reach that address (through the host's own stack, a NAT64 or
  // a 6to4 relay), so they are judged by it: a private address must not hide inside one.
  const embedded = (form: string, hi: number, lo: number) => {
    const v4 = [hi >> 8, hi & 255, lo >> 8, lo & 255];
    const problem = ipv4Problem(v4);
    return problem && `the ${form} form of ${v4.join(".")}, ${problem}`;
  };
  if (zero(0, 5) && g[5] === 0xffff) return embedded("IPv4-mapped", g[6]!, g[7]!);
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return embedded("IPv4-translated", g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return embedded("NAT64", g[6]!, g[7]!);
  if (g[0] === 0x2002) return embedded("6to4", g[1]!, g[2]!);
  if (zero(0, 8)) return "the unspecified address (::)";
  if (zero(0, 7) && g[7] === 1) return "the loopback address (::1)";
  // IPv4-compatible addresses were deprecated in 2006 and no public host uses one: all refused.
  if (zero(0, 6)) return `the IPv4-compatible form of ${[g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join(".")} (::/96, deprecated)`;
  const block = IPV6_BLOCKS.find((b) => inIpv6Block(g, b));
  if (block) return block.label;
  // Only 2000::/3 is handed out as global unicast; the rest is reserved, special or not yet assigned.
  if ((g[0]! & 0xe000) !== 0x2000) return "a reserved address outside global unicast (2000::/3)";
  return null;
}

/** The host without brackets, in lower case, and without the root label: "localhost." is "localhost". */
function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.+$/, "");
}

/** Why this host (an IP literal, a resolved address or a name) must never get our requests, or null. */
function hostProblem(hostname: string): string | null {
  const h = bareHost(hostname);
  const v4 = ipv4Parts(h);
  if (v4) {
    const problem = ipv4Problem(v4);
    return problem && `${h}, ${problem}`;
  }
  if (h.includes(":")) {
    const v6 = ipv6Groups(h);
    if (!v6) return `[${h}], an IPv6 address that cannot be read`; // refused rather than guessed at
    const problem = ipv6Problem(v6);
    return problem && `[${h}], ${problem}`;
  }
  const name = BLOCKED_NAMES.find(([re]) => re.test(h));
  return name ? `${hostname}, ${name[1]}` : null;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = bareHost(hostname);
  const v4 = ipv4Parts(h);
  if (v4) return v4[0] === 127;
  const v6 = ipv6Groups(h);
  if (v6) return v6.slice(0, 7).every((x) => x === 0) && v6[7] === 1;
  return h === "localhost";
}

/** Is this address (an IP literal or a resolved address) one we must never send to? */
export function isPrivateAddress(hostname: string): boolean {
  return hostProblem(hostname) !== null;
}

/**
 * Why an address a resolver answered must not get our requests, or null. Unlike isPrivateAddress,
 * anything that is not an IP address is refused: a name in an A or AAAA answer is a broken or
 * hostile resolver, and it is no address we could check.
 */
export function resolvedAddressProblem(address: string): string | null {
  const h = bareHost(address);
  if (!ipv4Parts(h) && !(h.includes(":") && ipv6Groups(h))) return `${address}, which is not an IP address`;
  return hostProblem(h);
}

/**
 * https only, to public hosts on port 443 or 8443 only; with `allowLoopback` (local development),
 * http and https to loopback on any port are accepted so that a developer or a test can receive
 * deliveries on 127.0.0.1.
 */
export function checkOutboundUrl(raw: string, opts: { allowLoopback: boolean }): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "is not a valid URL" };
  }
  if (url.username || url.password) return { ok: false, reason: "must not contain credentials" };
  if (opts.allowLoopback && isLoopbackHost(url.hostname) && (url.protocol === "http:" || url.protocol === "https:")) {
    return { ok: true, url };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "must use https" };
  const problem = hostProblem(url.hostname);
  if (problem) return { ok: false, reason: `must not point at ${problem}` };
  if (!HTTPS_PORTS.has(url.port)) return { ok: false, reason: `must use port 443 or 8443, not ${url.port}` };
  return { ok: true, url };
}
