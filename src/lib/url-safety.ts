/*
 * Outbound URLs (webhooks, Slack) must not reach our own network or a cloud's metadata service.
 * The WHATWG URL parser already turns decimal, hex and octal hosts ("2130706433", "0x7f.1") into
 * dotted IPv4, so checking the parsed hostname covers those encodings too. DNS names that resolve
 * to private addresses are checked again when sending.
 */
export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const BLOCKED_NAMES = [/^localhost$/, /\.localhost$/, /\.local$/, /\.internal$/, /^metadata$/, /^metadata\.google\.internal$/];

function ipv4Parts(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function isPrivateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 || // this network, private, loopback
    (a === 100 && b >= 64 && b <= 127) || // CGNAT
    (a === 169 && b === 254) || // link-local and cloud metadata (169.254.169.254)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // IETF protocol assignments (192.0.0.0/24) and 192.0.2.0/24 documentation
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

/** Expands an IPv6 literal (without brackets) to eight 16-bit groups. */
function ipv6Groups(host: string): number[] | null {
  let h = host.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (v4?.[1]) {
    const p = ipv4Parts(v4[1]);
    if (!p) return null;
    h = `${h.slice(0, -v4[1].length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head = "", tail] = h.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array(fill).fill("0"), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

function isPrivateIpv6(g: number[]): boolean {
  const [a = 0] = g;
  const allZeroUntil = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (allZeroUntil(7) && (g[7] === 0 || g[7] === 1)) return true; // :: and ::1
  if (allZeroUntil(5) && g[5] === 0xffff) return isPrivateIpv4([g[6]! >> 8, g[6]! & 255]); // IPv4-mapped
  if (a === 0x64 && g[1] === 0xff9b) return isPrivateIpv4([g[6]! >> 8, g[6]! & 255]); // NAT64
  return (a & 0xfe00) === 0xfc00 || (a & 0xffc0) === 0xfe80 || (a & 0xff00) === 0xff00 || (a === 0x2001 && g[1] === 0xdb8);
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "");
  const v4 = ipv4Parts(h);
  if (v4) return v4[0] === 127;
  const v6 = ipv6Groups(h);
  if (v6) return v6.slice(0, 7).every((x) => x === 0) && v6[7] === 1;
  return h === "localhost";
}

/** Is this address (an IP literal or a resolved address) one we must never send to? */
export function isPrivateAddress(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "");
  const v4 = ipv4Parts(h);
  if (v4) return isPrivateIpv4(v4);
  if (h.includes(":")) {
    const v6 = ipv6Groups(h);
    return v6 ? isPrivateIpv6(v6) : true; // an IPv6 literal we cannot read is refused
  }
  return BLOCKED_NAMES.some((re) => re.test(h.toLowerCase()));
}

/**
 * https only, public hosts only; with `allowLoopback` (local development), http and https to
 * loopback are accepted so that a developer or a test can receive deliveries on 127.0.0.1.
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
  if (isPrivateAddress(url.hostname)) {
    return { ok: false, reason: "must not point at a private, loopback, link-local or metadata address" };
  }
  return { ok: true, url };
}
