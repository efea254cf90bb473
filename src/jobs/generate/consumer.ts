import { errorMessage } from "../../errors";
import { log } from "../../lib/log";
import { traceIdOf } from "../../lib/trace";
import { GenerationJobSchema } from "../messages";
import { failedForGood, retryIn, settle } from "../outcome";
import { runGeneration } from "./run-generation";

/** Acks or retries each message on purpose; a message that cannot be processed is recorded. */
export async function consumeGeneration(batch: MessageBatch<unknown>, env: Env) {
  for (const message of batch.messages) {
    const parsed = GenerationJobSchema.safeParse(message.body);
    if (!parsed.success) {
      await settle(env, batch.queue, message, failedForGood("configuration", `Unreadable message: ${parsed.error.issues[0]?.message}`, false));
      continue;
    }
    const fields = { executionId: parsed.data.executionId, traceId: traceIdOf(parsed.data.traceparent) };
    try {
      await settle(env, batch.queue, message, await runGeneration(env, parsed.data, new Date()), fields);
    } catch (err) {
      // Nothing could be recorded (D1 or the lock unreachable): let the queue try again; after its
      // last retry the message goes to the dead-letter queue, whose consumer records it.
      log("error", "generation message failed before it could be recorded", { ...fields, attempts: message.attempts, error: errorMessage(err) });
      await settle(env, batch.queue, message, retryIn(60, "unrecorded failure"));
    }
  }
}
