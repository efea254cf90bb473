// Global setup for the browser tests: the app started by the README's start command (npm start)
// on its own port and state, stopped afterwards.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

// E2E_PORT moves it, so that two checkouts on one machine can run their browser tests at once.
const PORT = Number(process.env.E2E_PORT ?? 8790);

export default async function setup(project: TestProject) {
  // An app you already started (npm start), to run a browser test again without starting another.
  if (process.env.E2E_BASE_URL) {
    project.provide("baseUrl", process.env.E2E_BASE_URL);
    project.provide("stateDir", path.resolve(process.env.PERSIST_DIR ?? ".wrangler/state"));
    return;
  }
  const state = mkdtempSync(path.join(os.tmpdir(), "sr-e2e-"));
  const app = spawn("npm", ["start"], { env: { ...process.env, PORT: String(PORT), PERSIST_DIR: state }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in 180 s:\n${output.slice(-3000)}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Scheduled Reports is running at")) {
        clearTimeout(timer);
        resolve();
      }
    };
    app.stdout.on("data", onData);
    app.stderr.on("data", onData);
    app.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`)));
  });
  project.provide("baseUrl", `http://127.0.0.1:${PORT}`);
  project.provide("stateDir", state);
  return () => {
    try {
      process.kill(-app.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The app's local state (PERSIST_DIR): where a test reads the outbox's emails, as a person reads their mailbox. */
    stateDir: string;
  }
}
