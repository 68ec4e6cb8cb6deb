/**
 * What a resource type does when a stack makes or removes one: each plugin calls the owning service's use case
 * (or the TenantDO operation its own API route calls) as the stack's owner, under the policy action a request of
 * theirs would need, so a stack can do nothing its owner could not do by hand.
 */
import type { StepJob } from '../../../core/rts/messages.ts';
import type { Caller } from '../../lib/caller.ts';
import { ApiError } from '../../lib/errors.ts';
import type { Action } from '../../services.ts';

/** Where a resource stands after its call: ready, still on its way, or failed with the service's reason. */
export type Readiness = 'ready' | 'pending' | { failed: string };

export interface Plugin {
  /** The policy actions the owner needs to make and to remove one. */
  actions: { create: Action; delete: Action };
  /** Makes the resource; answers its id (and attributes known only now, like a generated key). */
  create(caller: Caller, props: Record<string, unknown>, job: StepJob): Promise<{ id: string; attributes?: Record<string, unknown> }>;
  /** The resource a create with this name made, if there is one: how a create retried after a crash adopts it. */
  find?(caller: Caller, name: string): Promise<string | undefined>;
  /** Whether the resource is ready yet (absent: ready once made). */
  ready?(caller: Caller, id: string): Promise<Readiness>;
  /** Its attributes for get_attr, once ready. */
  attributes?(caller: Caller, id: string, props: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Removes it; one already gone is no error. */
  delete(caller: Caller, id: string, props: Record<string, unknown>): Promise<void>;
  /** Whether it is gone yet (absent: gone once removed). */
  gone?(caller: Caller, id: string): Promise<boolean>;
}

/** Runs a removal, taking "not found" as done (a retried delete, or a resource removed by hand). */
export async function gone(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
}

/** The name a resource gets: its template's, else the stack's generated one (`st1-net-3fa2...`). */
export const nameOf = (props: Record<string, unknown>, job: StepJob) =>
  typeof props.name === 'string' && props.name ? props.name : job.physicalName;

/** A string property (undefined when absent). */
export const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
