/*
 * The fake outside world, by hand, for checking deliveries from the running app (`npm start`):
 *
 *   npx tsx test/support/fake-services/main.ts [--port 9999] [--secret whsec_…]
 *
 * then give a report the recipients http://127.0.0.1:9999/slack/demo and
 * http://127.0.0.1:9999/hooks/demo (loopback is allowed under local development). Every request is
 * printed; with --secret (from GET /api/settings/webhook-secret) webhook signatures are verified.
 */
import { Webhook } from "standardwebhooks";
import { type RecordedRequest, startFakeServices } from "./server";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const { url } = await startFakeServices(Number(arg("port") ?? 9999));
const secret = arg("secret");
console.log(`fake services listening on ${url}`);

let since = 0;
setInterval(async () => {
  const requests = (await (await fetch(`${url}/__requests?since=${since}`)).json()) as RecordedRequest[];
  for (const r of requests) {
    since = r.seq;
    let verdict = "";
    if (r.headers["webhook-signature"]) {
      try {
        if (secret) {
          new Webhook(secret).verify(r.body, r.headers);
          verdict = "signature verified";
        } else verdict = "signed (pass --secret to verify)";
      } catch (err) {
        verdict = `SIGNATURE REJECTED: ${(err as Error).message}`;
      }
    }
    console.log(`${new Date(r.receivedAt).toISOString()} ${r.method} ${r.path} ${verdict}\n${r.body.slice(0, 2000)}\n`);
  }
}, 500);
