/**
 * The orchestration queue's consumer: one message is one step of one stack's resource. It claims the step from the
 * StackDO (a step already done, or claimed by another delivery, comes back null and the message is acked),
 * checks the owner's rights for the step's action, runs the resource's plugin, and reports what it came to. A
 * refusal of the service (4xx) fails the resource with its message; anything else is retried, and a step that
 * fails for good in the dead-letter queue fails the resource with the reason.
 */
import type { Env } from '../../core/env.ts';
import type { StepJob, StepMessage, StepResult } from '../../core/rts/messages.ts';
import { ApiError } from '../lib/errors.ts';
import { PLUGINS } from './resources/index.ts';
import type { Plugin } from './resources/plugin.ts';
import { ownerCaller, requireOwnerMay } from './rights.ts';

const DLQ = 'fe-orchestration-dlq';

/** Where a made resource stands: ready (with its attributes), on its way, or failed. */
async function readiness(plugin: Plugin, env: Env, job: StepJob, id: string, made?: Record<string, unknown>): Promise<StepResult> {
  const caller = ownerCaller(env, job.owner, job.stackId);
  const state = plugin.ready ? await plugin.ready(caller, id) : 'ready';
  if (state === 'pending') return { state: 'pending', physicalId: id };
  if (state !== 'ready') return { state: 'failed', reason: state.failed, physicalId: id };
  const attributes = { ...made, ...(plugin.attributes ? await plugin.attributes(caller, id, job.properties) : {}) };
  return { state: 'done', physicalId: id, attributes };
}

/** Runs one claimed step. */
async function run(env: Env, job: StepJob): Promise<StepResult> {
  const plugin = PLUGINS[job.type];
  if (!plugin) return { state: 'failed', reason: `The Resource Type (${job.type}) could not be found.` };
  const caller = ownerCaller(env, job.owner, job.stackId);
  switch (job.step) {
    case 'create': {
      await requireOwnerMay(env, job.owner, plugin.actions.create);
      const adopted = job.adoptSince !== null && plugin.find ? await plugin.find(caller, job.physicalName) : undefined;
      const made = adopted ? { id: adopted } : await plugin.create(caller, job.properties, job);
      return readiness(plugin, env, job, made.id, made.attributes);
    }
    case 'check':
      return readiness(plugin, env, job, job.physicalId);
    case 'delete':
      await requireOwnerMay(env, job.owner, plugin.actions.delete);
      await plugin.delete(caller, job.physicalId, job.properties);
      return (plugin.gone ? await plugin.gone(caller, job.physicalId) : true) ? { state: 'done' } : { state: 'pending' };
    case 'gone':
      return (plugin.gone ? await plugin.gone(caller, job.physicalId) : true) ? { state: 'done' } : { state: 'pending' };
  }
}

/** One message: claim, run, report; a refusal becomes the resource's failure. */
async function step(env: Env, m: StepMessage, deadLetter: boolean): Promise<void> {
  const stack = env.STACK.getByName(m.stackId);
  if (deadLetter) {
    await stack.report(m.resource, m.step, { state: 'failed', reason: 'The step failed after every retry.' });
    return;
  }
  const claimed = await stack.claim(m.resource, m.step);
  const job = 'ok' in claimed ? (claimed.ok as StepJob | null) : null;
  if (!job) return;
  let result: StepResult;
  try {
    result = await run(env, job);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status >= 500) throw e;
    result = { state: 'failed', reason: `${e.status === 403 ? 'Forbidden' : e.status === 404 ? 'NotFound' : 'BadRequest'}: ${e.message}` };
  }
  await stack.report(m.resource, m.step, result);
}

/** The consumer of the orchestration queue and its dead-letter queue. */
export async function consumeSteps(batch: MessageBatch<StepMessage>, env: Env): Promise<void> {
  const deadLetter = batch.queue === DLQ;
  // The steps of a batch are independent resources (the StackDO only sends what is ready): run them together.
  await Promise.all(
    batch.messages.map(async (msg) => {
      try {
        await step(env, msg.body, deadLetter);
        msg.ack();
      } catch (e) {
        console.error(JSON.stringify({ queue: batch.queue, step: msg.body, error: String(e) }));
        msg.retry({ delaySeconds: 2 });
      }
    }),
  );
}
