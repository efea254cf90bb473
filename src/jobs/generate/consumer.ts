import { errorMessage } from "../../errors";
import { log } from "../../lib/log";
import { traceIdOf } from "../../lib/trace";
import { GenerationJobSchema } from "../messages";
import { failedForGood, retryIn, settle } from "../outcome";
import { eachLimited } from "../pool";
import { runGeneration } from "./run-generation";

/**
 * Runs of one batch generated at once. Each holds one page of rows and one upload part (5 MiB) in
 * memory, so five stay far below the isolate's 128 MB; a heavy run (a PDF, a large file) goes to the
 * heavy queue, whose batches hold one message (see messages.ts).
 */
const CONCURRENCY = 5;

async function handle(message: Message<unknown>, env: Env, queue: string) {
  const parsed = GenerationJobSchema.safeParse(message.body);
  if (!parsed.success) {
    await settle(env, queue, message, failedForGood("configuration", `Unreadable message: ${parsed.error.issues[0]?.message}`, false));
    return;
  }
  const fields = { executionId: parsed.data.executionId, traceId: traceIdOf(parsed.data.traceparent) };
  try {
    await settle(env, queue, message, await runGeneration(env, parsed.data, new Date()), fields);
  } catch (err) {
    // Nothing could be recorded (D1 or the lock unreachable): let the queue try again; after its
    // last retry the message goes to the dead-letter queue, whose consumer records it.
    log("error", "generation message failed before it could be recorded", { ...fields, attempts: message.attempts, error: errorMessage(err) });
    await settle(env, queue, message, retryIn(60, "unrecorded failure"));
  }
}

/** Acks or retries each message on purpose, a few at a time; a message that cannot be processed is recorded. */
export async function consumeGeneration(batch: MessageBatch<unknown>, env: Env) {
  await eachLimited(batch.messages, CONCURRENCY, (message) => handle(message, env, batch.queue));
}
