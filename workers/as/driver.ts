/**
 * The scaling queue's consumer: each message is one round of one group (workers/as/usecases/rounds.ts). A round
 * that throws is retried by the queue; one lost for good costs a tick, as the group's alarm sends the next.
 */
import type { Env } from '../../core/env.ts';
import type { ScalingMessage } from '../../durable/as.ts';
import { runRound } from './usecases/rounds.ts';

export async function consumeScaling(batch: MessageBatch<ScalingMessage>, env: Env): Promise<void> {
  // Rounds of one group in one batch are one round: the plan reads the state afresh each time anyway.
  const rounds = new Map<string, Message<ScalingMessage>[]>();
  for (const m of batch.messages) {
    const key = `${m.body.projectId}/${m.body.groupId}`;
    rounds.set(key, [...(rounds.get(key) ?? []), m]);
  }
  await Promise.all(
    [...rounds.values()].map(async (messages) => {
      const { projectId, groupId } = messages[0]!.body;
      try {
        await runRound(env, projectId, groupId);
        for (const m of messages) m.ack();
      } catch (err) {
        console.error(`scaling round of ${groupId} failed: ${err instanceof Error ? err.message : err}`);
        for (const m of messages) m.retry();
      }
    }),
  );
}
