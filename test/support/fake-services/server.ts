/*
 * One real HTTP server on 127.0.0.1 that plays every outside party a delivery talks to: the email
 * providers (Resend, SendGrid), Slack incoming webhooks, customers' webhook endpoints and a
 * DNS-over-HTTPS resolver. Tests run inside workerd, which cannot listen on a port, so this runs in
 * Node (vitest globalSetup) and tests read what it received through the same server:
 *
 *   GET  /__requests?since=<seq>&match=<text>   every request recorded after `since` whose path,
 *                                              headers or body contain `match`
 *   POST /__script {match, responses: [...]}   the next requests that contain `match` get these
 *                                              answers, in order ({status, headers?, body? or bodyBase64?, delayMs?})
 *   POST /__forget {match}                      drops the recorded requests that contain `match` (the
 *                                              test helpers forget a new account's sign-up email)
 *   POST /__dns {name, addresses}               what /dns-query answers for `name`
 *   POST /__slack/channels {token, channels}    the channels ([{id, name, is_member}]) the Slack app with
 *                                              this bot token can see in its workspace
 *   GET  /__local-email?id=<storage id>         the files the local send_email binding (miniflare)
 *                                              wrote for one message: text, HTML, attachments
 *
 * The Slack Web API (under /slack-api/<method>) enforces what Slack does: a bot bearer token, the
 * required parameters, files uploaded to the URL files.getUploadURLExternal gave (of the length
 * announced) before files.completeUploadExternal shares them, and a channel the bot is in. A Teams
 * workflow (under /teams/) accepts only a message carrying an Adaptive Card, with 202.
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

type SlackChannel = { id: string; name: string; is_member: boolean };
type SlackUpload = { token: string; filename: string; length: number; received: number | null; completed: boolean };

/** `bodyBase64` answers with these bytes (an image, say) instead of the text `body`. */
export type ScriptedResponse = { status: number; headers?: Record<string, string>; body?: string; bodyBase64?: string; delayMs?: number };

type Script = { match: string; responses: ScriptedResponse[] };

const MAX_RECORDED = 5000;

export function startFakeServices(port = 0): Promise<{ server: Server; url: string }> {
  const recorded: RecordedRequest[] = [];
  const scripts: Script[] = [];
  const dns = new Map<string, string[]>();
  const slackChannels = new Map<string, SlackChannel[]>();
  const slackUploads = new Map<string, SlackUpload>();
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

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Slack's Web API: 200 with {ok: false, error} for what it refuses. */
  function slackApi(method: string, r: RecordedRequest, origin: string, res: ServerResponse) {
    const refuse = (error: string) => json(res, 200, { ok: false, error });
    const auth = /^Bearer (.+)$/.exec(r.headers.authorization ?? "")?.[1];
    if (!auth) return refuse("not_authed");
    if (!auth.startsWith("xoxb-") || auth.includes("revoked")) return refuse("invalid_auth");
    if (!(r.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) return refuse("invalid_form_data");
    const p = new URLSearchParams(r.body);
    const channels = slackChannels.get(auth) ?? [];
    switch (method) {
      case "auth.test":
        return json(res, 200, {
          ok: true,
          url: "https://fake-workspace.slack.com/",
          team: "Fake Workspace",
          user: "reports-bot",
          team_id: "T0FAKE01",
          user_id: "U0BOT001",
          bot_id: "B0BOT001",
        });
      case "conversations.list": {
        // Pages of `limit` (default 100), the cursor being the offset.
        const limit = Number(p.get("limit") ?? 100);
        const from = Number(p.get("cursor") || 0);
        const page = channels.slice(from, from + limit);
        const next = from + limit < channels.length ? String(from + limit) : "";
        return json(res, 200, { ok: true, channels: page, response_metadata: { next_cursor: next } });
      }
      case "files.getUploadURLExternal": {
        const filename = p.get("filename");
        const length = Number(p.get("length"));
        if (!filename || !Number.isInteger(length) || length <= 0) return refuse("invalid_arguments");
        const id = `F${crypto.randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
        slackUploads.set(id, { token: auth, filename, length, received: null, completed: false });
        return json(res, 200, { ok: true, upload_url: `${origin}/slack-upload/${id}`, file_id: id });
      }
      case "files.completeUploadExternal": {
        let files: { id: string; title?: string }[];
        try {
          files = JSON.parse(p.get("files") ?? "");
        } catch {
          return refuse("invalid_arguments");
        }
        if (!Array.isArray(files) || files.length === 0) return refuse("invalid_arguments");
        for (const f of files) {
          const upload = slackUploads.get(f.id);
          if (!upload || upload.token !== auth) return refuse("file_not_found");
          if (upload.received !== upload.length) return refuse("file_upload_size_mismatch");
        }
        const channelId = p.get("channel_id");
        if (channelId) {
          const channel = channels.find((c) => c.id === channelId);
          if (!channel) return refuse("channel_not_found");
          if (!channel.is_member) return refuse("not_in_channel");
        }
        for (const f of files) slackUploads.get(f.id)!.completed = true;
        return json(res, 200, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? slackUploads.get(f.id)!.filename })) });
      }
      default:
        return refuse("unknown_method");
    }
  }

  /** A Teams Workflows webhook: a message whose attachment is an Adaptive Card, else 400. */
  function teamsWorkflow(r: RecordedRequest, res: ServerResponse) {
    let message: { type?: string; attachments?: { contentType?: string; content?: { type?: string; body?: unknown[] } }[] };
    try {
      message = JSON.parse(r.body);
    } catch {
      return json(res, 400, { error: { code: "InvalidRequestContent", message: "The body is not JSON" } });
    }
    const card = message.attachments?.[0];
    if (message.type !== "message" || card?.contentType !== "application/vnd.microsoft.card.adaptive" || card.content?.type !== "AdaptiveCard") {
      return json(res, 400, { error: { code: "InvalidRequestContent", message: "Expected a message with an Adaptive Card attachment" } });
    }
    res.writeHead(202);
    res.end();
  }

  /** What each fake answers when no script says otherwise. */
  function defaultAnswer(r: RecordedRequest, res: ServerResponse, origin: string, raw: Buffer) {
    const slackMethod = /^\/slack-api\/([a-zA-Z.]+)$/.exec(r.path)?.[1];
    if (slackMethod) return slackApi(slackMethod, r, origin, res);
    const uploadId = /^\/slack-upload\/(F[A-Z0-9]+)$/.exec(r.path)?.[1];
    if (uploadId) {
      const upload = slackUploads.get(uploadId);
      if (!upload || upload.completed) return json(res, 404, { ok: false, error: "upload_not_found" });
      upload.received = raw.length;
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end(`OK - ${raw.length}`);
    }
    if (r.path.startsWith("/teams/") && r.method === "POST") return teamsWorkflow(r, res);
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
    const raw = await readBody(req);
    const body = raw.toString("utf8");
    const origin = `http://${req.headers.host ?? "127.0.0.1"}`;

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
    if (url.pathname === "/__forget" && req.method === "POST") {
      const { match } = JSON.parse(body) as { match: string };
      const kept = recorded.filter((r) => !haystack(r).includes(match));
      const forgotten = recorded.length - kept.length;
      recorded.splice(0, recorded.length, ...kept);
      return json(res, 200, { forgotten });
    }
    if (url.pathname === "/__local-email") return json(res, 200, localEmailFiles(url.searchParams.get("id") ?? "\u0000"));
    if (url.pathname === "/__script" && req.method === "POST") {
      const script = JSON.parse(body) as Script;
      scripts.push({ match: script.match, responses: [...script.responses] });
      return json(res, 200, { ok: true });
    }
    if (url.pathname === "/__slack/channels" && req.method === "POST") {
      const { token, channels } = JSON.parse(body) as { token: string; channels: SlackChannel[] };
      slackChannels.set(token, channels);
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
    if (!scripted) return defaultAnswer(r, res, origin, raw);
    if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (res.destroyed) return;
    res.writeHead(scripted.status, scripted.headers ?? {});
    res.end(scripted.bodyBase64 !== undefined ? Buffer.from(scripted.bodyBase64, "base64") : (scripted.body ?? ""));
  });

  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${bound}` });
    });
  });
}
