/** The stack a request names: found through the project's index, then read from its own StackDO. */
import type { Env } from '../../core/env.ts';
import { planOf } from '../../durable/stack/drive.ts';
import type { StackDO } from '../../durable/stack.ts';
import type { AppContext } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope } from '../lib/tenant.ts';

/** The project's index of stacks. */
export const stackIndex = (c: AppContext) => c.env.STACK_INDEX.getByName(projectScope(c).projectId);

/** A stack's own object. */
export const stackObject = (env: Env, id: string) => env.STACK.getByName(id);

const missing = (ref: string) => notFound(`The Stack (${ref}) could not be found.`, 'EntityNotFound');

/** The live stack a name or id names in the caller's project; 404 otherwise. */
export async function lookup(c: AppContext, ref: string) {
  const found = await stackIndex(c).find(ref);
  if (!found || found.deletedAt) throw missing(ref);
  return found;
}

/** The stack at `/stacks/{stack_name}/{stack_id}` with its resources and events; 404 when the two disagree. */
export async function stackAt(c: AppContext) {
  const name = c.req.param('stack_name')!;
  const id = c.req.param('stack_id')!;
  const found = await stackIndex(c).find(id);
  if (!found || found.name !== name || found.deletedAt) throw missing(name);
  // The rows' JSON columns defeat the RPC's inferred types; the object answers exactly what `show` returns.
  const shown = (await stackObject(c.env, id).show()) as unknown as ReturnType<StackDO['show']>;
  // The stack's own object knows first that it is deleted (the index hears of it after).
  if (!shown.stack || shown.stack.deletedAt) throw missing(name);
  return { ...shown, stack: shown.stack };
}

/** A stored stack's parameter values and the names of the hidden ones. */
export function parametersOf(s: Parameters<typeof planOf>[0]) {
  const p = planOf(s);
  return {
    values: p.params,
    hidden: new Set(
      Object.values(p.template.parameters)
        .filter((x) => x.hidden)
        .map((x) => x.name),
    ),
  };
}
