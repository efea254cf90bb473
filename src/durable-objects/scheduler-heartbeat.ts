import { DurableObject } from "cloudflare:workers";
import { config } from "../config";
import { SYSTEM_ALERT_SCOPE } from "../db/schema";
import { recordAlerts, resolveAlerts } from "../jobs/alerts/record-alerts";

/**
 * Cron Triggers publish no delivery guarantee (ticks have been seen to stop silently), so every
 * tick reports here and an alarm checks, on the wall clock, that the next one came. One object
 * for the whole deployment (named "scheduler"); it only stores the time of the last tick.
 */
export class SchedulerHeartbeat extends DurableObject<Env> {
  private silenceMs() {
    return config(this.env).alerts.heartbeatSilenceMs;
  }

  /** A tick arrived: re-arm the check, and if a silence alert is open, it is over (resolved, with a notice). */
  async beat(): Promise<void> {
    const now = Date.now();
    await this.ctx.storage.put("lastTick", now);
    await this.ctx.storage.setAlarm(now + this.silenceMs());
    if (await this.ctx.storage.get<boolean>("alertOpen")) {
      await resolveAlerts(this.env, ["scheduler_heartbeat"], [], new Date(now));
      await this.ctx.storage.delete("alertOpen");
    }
  }

  async lastTick(): Promise<number | null> {
    return (await this.ctx.storage.get<number>("lastTick")) ?? null;
  }

  /** Fires after a silent gap; the alert's window is the last tick, so one gap raises one alert. */
  override async alarm(): Promise<void> {
    const last = await this.lastTick();
    const now = Date.now();
    if (last === null || now - last < this.silenceMs()) return;
    await recordAlerts(
      this.env,
      [
        {
          organizationId: SYSTEM_ALERT_SCOPE,
          rule: "scheduler_heartbeat",
          windowStart: last,
          severity: "critical",
          value: Math.round((now - last) / 1000),
          threshold: this.silenceMs() / 1000,
          message: `No scheduler tick has run since ${new Date(last).toISOString()}: reports are not being started`,
        },
      ],
      new Date(now),
    );
    await this.ctx.storage.put("alertOpen", true);
    // Keep watching: a tick that comes back re-arms the alarm anyway.
    await this.ctx.storage.setAlarm(now + this.silenceMs());
  }
}

export const schedulerHeartbeat = (env: Env) => env.HEARTBEAT.get(env.HEARTBEAT.idFromName("scheduler"));
