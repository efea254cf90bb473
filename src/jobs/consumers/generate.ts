import { log } from "../../lib/log";
import { traceIdOf } from "../../lib/trace";
import { runGeneration } from "../../services/executions/run-generation";
import { GenerationJobSchema } from "../messages";
import { recordDeadLetter } from "./dead-letter";

/** Acks or retries each message on purpose; a message that cannot be processed is recorded. */
export async function consumeGeneration(batch: MessageBatch<unknown>, env: Env) {
  for (const message of batch.messages) {
    const parsed = GenerationJobSchema.safeParse(message.body);
    if (!parsed.success) {
      await recordDeadLetter(env, batch.queue, message, `Unreadable message: ${parsed.error.issues[0]?.message}`);
      message.ack();
      continue;
    }
    try {
      const outcome = await runGeneration(env, parsed.data, new Date());
      if (outcome.kind === "retry") message.retry({ delaySeconds: outcome.delaySeconds });
      else if (outcome.kind === "dead") {
        await recordDeadLetter(env, batch.queue, message, outcome.reason);
        message.ack();
      } else message.ack();
    } catch (err) {
      // Nothing could be recorded (D1 or the lock unreachable): let the queue try again; after its
      // last retry the message goes to the dead-letter queue, whose consumer records it.
      log("error", "generation message failed before it could be recorded", {
        executionId: parsed.data.executionId,
        traceId: traceIdOf(parsed.data.traceparent),
        attempts: message.attempts,
        error: String(err),
      });
      message.retry({ delaySeconds: 60 });
    }
  }
}
