// Regenerates the dashboard's typed API client from the OpenAPI document the Worker serves, which
// is built from the same zod schemas that validate requests. Run: npm run gen:api -w web
// (through tsx, which loads the TypeScript app directly).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { newApp } from "../src/app.ts";
import { bin, root } from "./lib.mjs";

// The document needs no bindings; only the configuration check wants a (throwaway) secret, and a
// local APP_URL is accepted only in local development.
const res = await newApp().request("/api/openapi.json", {}, { JWT_SECRET: "openapi-generation-only-not-a-real-secret", LOCAL_DEV: "true" });
if (!res.ok) throw new Error(`OpenAPI document: ${res.status}`);
const file = path.join(root, "web", "src", "lib", "api", "openapi.json");
writeFileSync(file, `${JSON.stringify(await res.json(), null, 2)}\n`);
execFileSync(bin("openapi-ts"), ["-i", file, "-o", path.join(root, "web", "src", "lib", "api", "generated"), "-c", "@hey-api/client-fetch", "-s"], {
  stdio: "inherit",
  cwd: root,
});
console.log("API client generated in web/src/lib/api/generated");
