import { DurableObject } from "cloudflare:workers";

export type ClaimResult = { outcome: "claimed" } | { outcome: "busy"; heldBy: { executionId: string; scheduledFor: number; claimedAt: number } };

type Holder = { execution_id: string; scheduled_for: number; claimed_at: number };

/**
 * One per scheduled report (named by its id): the single-threaded place that decides whether a
 * run may start. A run holds the lock from its first attempt until it completes or fails for
 * good; a run that falls due meanwhile is refused (the caller records it as skipped). A holder
 * older than `staleAfterMs` is presumed dead (the watchdog should have released it first).
 */
export class ReportLock extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `create table if not exists holder (
         k integer primary key check (k = 1),
         execution_id text not null,
         scheduled_for integer not null,
         claimed_at integer not null
       )`,
    );
  }

  private holder(): Holder | undefined {
    return this.ctx.storage.sql.exec<Holder>("select execution_id, scheduled_for, claimed_at from holder").toArray()[0];
  }

  claim(executionId: string, scheduledFor: number, now: number, staleAfterMs: number): ClaimResult {
    const held = this.holder();
    if (held && held.execution_id !== executionId && now - held.claimed_at < staleAfterMs) {
      return { outcome: "busy", heldBy: { executionId: held.execution_id, scheduledFor: held.scheduled_for, claimedAt: held.claimed_at } };
    }
    // A redelivered message of the holder itself re-claims (and refreshes) its own lock.
    this.ctx.storage.sql.exec("insert or replace into holder (k, execution_id, scheduled_for, claimed_at) values (1, ?, ?, ?)", executionId, scheduledFor, now);
    return { outcome: "claimed" };
  }

  /** Releases only if `executionId` holds the lock: a late release never frees someone else's. */
  release(executionId: string): boolean {
    return this.ctx.storage.sql.exec("delete from holder where execution_id = ?", executionId).rowsWritten > 0;
  }

  current(): Holder | null {
    return this.holder() ?? null;
  }
}
