/*
 * One real HTTP server on 127.0.0.1 that plays every outside party a delivery talks to: the email
 * providers (Resend, SendGrid), Slack incoming webhooks, customers' webhook endpoints and a
 * DNS-over-HTTPS resolver. Tests run inside workerd, which cannot listen on a port, so this runs in
 * Node (vitest globalSetup) and tests read what it received through the same server:
 *
 *   GET  /__requests?since=<seq>&match=<text>   every request recorded after `since` whose path,
 *                                              headers or body contain `match`
 *   POST /__script {match, responses: [...]}   the next requests that contain `match` get these
 *                                              answers, in order ({status, headers?, body?, delayMs?})
 *   POST /__dns {name, addresses}               what /dns-query answers for `name`
 *   GET  /__local-email?id=<storage id>         the files the local send_email binding (miniflare)
 *                                              wrote for one message: text, HTML, attachments
 *
 * Many test files share the server at once, so every test matches on something unique to it (a
 * path segment, a recipient address) rather than on "the last request".
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export type RecordedRequest = {
  seq: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
};

export type ScriptedResponse = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };

type Script = { match: string; responses: ScriptedResponse[] };

const MAX_RECORDED = 5000;

export function startFakeServices(port = 0): Promise<{ server: Server; url: string }> {
  const recorded: RecordedRequest[] = [];
  const scripts: Script[] = [];
  const dns = new Map<string, string[]>();
  let seq = 0;

  const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(value));
  };

  /**
   * What miniflare's local send_email binding wrote for one message: it stores the text, the HTML
   * and each attachment as files under <tmp>/miniflare-<hex>/email/<kind>/<id>[-n].<ext> (wrangler
   * dev mirrors them to .wrangler/tmp/email/). The id is the message id without its angle brackets.
   */
  function localEmailFiles(id: string) {
    const found: { kind: string; name: string; size: number; text: string | null }[] = [];
    for (const dir of readdirSync(tmpdir()).filter((d) => d.startsWith("miniflare-"))) {
      const emailDir = path.join(tmpdir(), dir, "email");
      let kinds: string[];
      try {
        kinds = readdirSync(emailDir);
      } catch {
        continue;
      }
      for (const kind of kinds) {
        for (const name of readdirSync(path.join(emailDir, kind)).filter((n) => n.startsWith(id))) {
          const file = path.join(emailDir, kind, name);
          const size = statSync(file).size;
          found.push({ kind, name, size, text: size <= 256 * 1024 ? readFileSync(file, "utf8") : null });
        }
      }
    }
    return found;
  }

  const haystack = (r: RecordedRequest) => `${r.method} ${r.path}\n${JSON.stringify(r.headers)}\n${r.body}`;

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  /** What each fake answers when no script says otherwise. */
  function defaultAnswer(r: RecordedRequest, res: ServerResponse) {
    if (r.path === "/resend/emails") return json(res, 200, { id: `re_${crypto.randomUUID()}` });
    if (r.path === "/sendgrid/v3/mail/send") {
      res.writeHead(202, { "x-message-id": `sg${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}` });
      return res.end();
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);

    if (url.pathname === "/__requests") {
      const since = Number(url.searchParams.get("since") ?? 0);
      const match = url.searchParams.get("match");
      return json(
        res,
        200,
        recorded.filter((r) => r.seq > since && (!match || haystack(r).includes(match))),
      );
    }
    if (url.pathname === "/__seq") return json(res, 200, { seq });
    if (url.pathname === "/__local-email") return json(res, 200, localEmailFiles(url.searchParams.get("id") ?? "\u0000"));
    if (url.pathname === "/__script" && req.method === "POST") {
      const script = JSON.parse(body) as Script;
      scripts.push({ match: script.match, responses: [...script.responses] });
      return json(res, 200, { ok: true });
    }
    if (url.pathname === "/__dns" && req.method === "POST") {
      const { name, addresses } = JSON.parse(body) as { name: string; addresses: string[] };
      dns.set(name.toLowerCase(), addresses);
      return json(res, 200, { ok: true });
    }
    if (url.pathname === "/dns-query") {
      // The JSON dialect of DNS over HTTPS (as cloudflare-dns.com answers with accept: application/dns-json).
      const name = (url.searchParams.get("name") ?? "").toLowerCase();
      const type = url.searchParams.get("type") ?? "A";
      const answers = (dns.get(name) ?? []).filter((a) => (type === "AAAA" ? a.includes(":") : !a.includes(":")));
      return json(
        res,
        200,
        { Status: 0, Answer: answers.map((data) => ({ name, type: type === "AAAA" ? 28 : 1, TTL: 60, data })) },
        { "content-type": "application/dns-json" },
      );
    }

    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    const r: RecordedRequest = { seq: ++seq, method: req.method ?? "GET", path: url.pathname + url.search, headers, body, receivedAt: Date.now() };
    recorded.push(r);
    if (recorded.length > MAX_RECORDED) recorded.shift();

    const script = scripts.find((s) => s.responses.length > 0 && haystack(r).includes(s.match));
    const scripted = script?.responses.shift();
    if (!scripted) return defaultAnswer(r, res);
    if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (res.destroyed) return;
    res.writeHead(scripted.status, scripted.headers ?? {});
    res.end(scripted.body ?? "");
  });

  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${bound}` });
    });
  });
}
