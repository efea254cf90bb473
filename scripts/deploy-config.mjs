// What `npm run deploy` refuses and what `npm run setup:cloudflare` writes: pure functions over a
// wrangler configuration as an object (wrangler.toml or the generated wrangler.production.jsonc, as
// wrangler reads it). No I/O here, so the workerd tests import it directly (test/deploy-script.test.ts).

/** The file `npm run setup:cloudflare` writes (gitignored) and `npm run deploy` uses when it exists. */
export const PRODUCTION_CONFIG = "wrangler.production.jsonc";

/** An id that is still the tracked wrangler.toml's placeholder: empty, or only zeros (and dashes). */
export function isPlaceholderId(id) {
  return typeof id !== "string" || /^[0-]*$/.test(id.trim());
}

function isLoopbackHost(host) {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return (
    h === "localhost" ||
    h.endsWith(".localhost") ||
    /^127\.\d+\.\d+\.\d+$/.test(h) ||
    h === "::1" ||
    h === "0:0:0:0:0:0:0:1" ||
    h === "0.0.0.0" ||
    h === "::" ||
    h.startsWith("::ffff:127.")
  );
}

const RESERVED_EXAMPLE = /(^|\.)example\.(com|net|org)$|(^|\.)(example|invalid|test|localhost)$/i;

/**
 * Every reason not to deploy this configuration, each a sentence naming the setting and the fix.
 * `options.public`: the operator confirmed (`npm run deploy -- --public`) that anyone may sign up.
 */
export function deployProblems(config, options = {}) {
  const problems = [];
  const vars = config.vars ?? {};
  for (const d of config.d1_databases ?? []) {
    if (isPlaceholderId(d.database_id))
      problems.push(
        `D1 database ${d.binding}: database_id is the placeholder "${d.database_id ?? ""}"; npm run setup:cloudflare creates the database and writes its id (or: npx wrangler d1 create ${d.database_name}).`,
      );
  }
  for (const h of config.hyperdrive ?? []) {
    if (isPlaceholderId(h.id))
      problems.push(
        `Hyperdrive ${h.binding}: id is the placeholder "${h.id ?? ""}"; create it (npm run setup:cloudflare --hyperdrive=postgres://…, or npx wrangler hyperdrive create) or remove the [[hyperdrive]] block (its report types are then not offered).`,
      );
  }
  for (const k of config.kv_namespaces ?? []) {
    if (isPlaceholderId(k.id))
      problems.push(`KV namespace ${k.binding}: id is the placeholder "${k.id ?? ""}"; create it with npx wrangler kv namespace create ${k.binding}.`);
  }
  const appUrl = vars.APP_URL;
  let host = null;
  try {
    host = appUrl ? new URL(appUrl).hostname : null;
  } catch {
    host = null;
  }
  if (!appUrl) problems.push("APP_URL is not set; set it to the dashboard's public https address (links in emails and the sign-in origin check use it).");
  else if (host === null) problems.push(`APP_URL "${appUrl}" is not a URL; set it to the dashboard's public https address.`);
  else if (isLoopbackHost(host))
    problems.push(
      `APP_URL "${appUrl}" points at this machine (${host}); set it to the dashboard's public https address, e.g. https://reports.your-company.com.`,
    );
  else if (!appUrl.startsWith("https://"))
    problems.push(`APP_URL "${appUrl}" is not https; the dashboard signs in with secure cookies, so give its https address.`);
  const from = String(vars.EMAIL_FROM ?? "");
  const fromDomain = from.includes("@") ? from.slice(from.lastIndexOf("@") + 1).replace(/>$/, "") : "";
  if (!fromDomain) problems.push(`EMAIL_FROM "${from}" is not an email address; set it to an address at your sending domain.`);
  else if (RESERVED_EXAMPLE.test(fromDomain))
    problems.push(
      `EMAIL_FROM "${from}" is at ${fromDomain}, a reserved example domain, so every delivery would fail; set it to an address at your onboarded sending domain.`,
    );
  if (!String(vars.OPERATOR_EMAIL ?? "").trim())
    problems.push("OPERATOR_EMAIL is empty, so system-wide alerts (a silent scheduler) reach nobody; set it to an address your operators read.");
  if (vars.SIGNUP === "open" && !options.public)
    problems.push(
      'SIGNUP is "open": anyone who finds the address can sign up and get an organization. Set SIGNUP = "closed" for a company deployment (organizations come from the operator API), or confirm a public service with npm run deploy -- --public.',
    );
  if (vars.LOCAL_DEV === "true")
    problems.push('LOCAL_DEV is "true": loopback webhooks, the email outbox and the demo seed route would be on in production; set it to "false".');
  const seen = new Map();
  for (const r of config.ratelimits ?? config.unsafe?.bindings?.filter((b) => b.type === "ratelimit") ?? []) {
    const id = String(r.namespace_id);
    if (seen.has(id))
      problems.push(
        `Rate limits ${seen.get(id)} and ${r.name} share namespace_id ${id}, so they would count together; each needs its own, unique in the account.`,
      );
    else seen.set(id, r.name);
  }
  return problems;
}

/** The one message `npm run deploy` prints when it refuses. */
export function refusal(configPath, problems) {
  return [
    `npm run deploy refused: ${problems.length} ${problems.length === 1 ? "problem" : "problems"} in ${configPath}:`,
    ...problems.map((p) => `  - ${p}`),
    'Nothing was deployed. Run npm run setup:cloudflare to create the resources and write their ids (README, "Deploy to Cloudflare").',
  ].join("\n");
}

/**
 * The commands `npm run deploy` runs, in order: the dashboard first (the Worker serves it), then the
 * remote D1 migrations (the new code may read what they add; they are additive, so the running
 * version keeps working meanwhile), then the Worker.
 */
export function deploySteps(configPath) {
  return [
    ["npm", ["run", "build", "-w", "web"]],
    ["wrangler", ["d1", "migrations", "apply", "DB", "--remote", "--config", configPath]],
    ["wrangler", ["deploy", "--config", configPath]],
  ];
}

/** Every queue the configuration names (producers, consumers and their dead letter queues), once each. */
export function queueNames(config) {
  const names = new Set();
  for (const p of config.queues?.producers ?? []) names.add(p.queue);
  for (const c of config.queues?.consumers ?? []) {
    names.add(c.queue);
    if (c.dead_letter_queue) names.add(c.dead_letter_queue);
  }
  return [...names];
}

/** The id wrangler printed for what it created (`d1 create`: database_id; `hyperdrive create`: id). */
export function createdId(output, kind) {
  const key = kind === "d1" ? "database_id" : "id";
  const m = output.match(new RegExp(`"?${key}"?\\s*[:=]\\s*"([0-9a-f-]{32,36})"`, "i"));
  return m ? m[1] : null;
}

/**
 * The production configuration: the tracked one with the created ids, the operator's answers and
 * the rate-limit namespace ids from `ratelimitBase` on (unique in the account: two deployments in
 * one account need different bases). Without a Hyperdrive id, the [[hyperdrive]] block is dropped.
 */
export function productionConfig(config, answers) {
  const out = structuredClone(config);
  out.d1_databases = (out.d1_databases ?? []).map((d) => (d.binding === "DB" ? { ...d, database_id: answers.d1Id } : d));
  if (answers.hyperdriveId) out.hyperdrive = (out.hyperdrive ?? []).map((h) => ({ ...h, id: answers.hyperdriveId }));
  else delete out.hyperdrive;
  out.vars = {
    ...out.vars,
    APP_URL: answers.appUrl,
    EMAIL_FROM: answers.emailFrom,
    OPERATOR_EMAIL: answers.operatorEmail,
    SIGNUP: answers.signup ?? "closed",
    LOCAL_DEV: "false",
  };
  if (answers.emailProvider) out.vars.EMAIL_PROVIDER = answers.emailProvider;
  const base = Number(answers.ratelimitBase ?? 1001);
  out.ratelimits = (out.ratelimits ?? []).map((r, i) => ({ ...r, namespace_id: String(base + i) }));
  return out;
}
