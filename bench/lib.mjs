// Helpers shared by the benchmarks: start a wrangler dev, measure only its own processes (other
// work on the machine may run workerd too), wait for it.
import { spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { bin, root } from "../scripts/lib.mjs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (100 on Linux). */
const CLOCK_TICKS = 100;

function processTable() {
  const table = new Map();
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces: the fields after it are fixed.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      table.set(Number(pid), { name, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended
    }
  }
  return table;
}

/** The workerd processes started under `rootPid`: their resident memory (MiB) and CPU time so far (s). */
export function workerdUnder(rootPid) {
  const table = processTable();
  const inTree = (pid) => {
    for (let p = pid, hops = 0; p && hops < 50; p = table.get(p)?.ppid, hops++) if (p === rootPid) return true;
    return false;
  };
  let rssMiB = 0;
  let cpuSeconds = 0;
  let processes = 0;
  for (const [pid, proc] of table) {
    if (proc.name !== "workerd" || !inTree(pid)) continue;
    processes++;
    cpuSeconds += proc.cpuTicks / CLOCK_TICKS;
    try {
      rssMiB += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      // the process ended
    }
  }
  return { rssMiB: Math.round(rssMiB), cpuSeconds: Math.round(cpuSeconds * 100) / 100, processes };
}

/** The machine's load, to read the timings with: 1/5/15-minute averages and the core count. */
export const machineLoad = () => ({ at: new Date().toISOString(), loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100), cpus: os.cpus().length });

/** Process groups of the wrangler devs still running: none may outlive the benchmark. */
const live = new Set();
// Ctrl+C or a kill ends the run through process.exit, so that the handler below stops the devs.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
process.on("exit", () => {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/**
 * `wrangler dev` with the given arguments, its output in `logFile`. Resolves once `readyUrl` answers
 * `readyStatus`; `stop()` ends it (SIGTERM to its process group, then SIGKILL).
 */
export async function startWrangler(args, { logFile, env = {}, readyUrl, readyStatus = 200, timeoutMs = 180_000 }) {
  const log = openSync(logFile, "a");
  const child = spawn(bin("wrangler"), ["dev", ...args, "--show-interactive-dev-session=false"], {
    cwd: root,
    stdio: ["ignore", log, log],
    detached: true,
    env: { ...process.env, ...env },
  });
  closeSync(log);
  let exited = null;
  child.on("exit", (code, signal) => (exited = code ?? signal));
  const stop = async () => {
    if (exited !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 10_000);
    await gone;
    clearTimeout(timer);
  };
  live.add(child.pid);
  child.on("exit", () => live.delete(child.pid));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`wrangler dev exited with ${exited}; see ${logFile}`);
    try {
      if ((await fetch(readyUrl)).status === readyStatus) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer ${readyUrl} within ${timeoutMs / 1000} s; see ${logFile}`);
    }
    await sleep(500);
  }
  return { pid: child.pid, stop };
}
