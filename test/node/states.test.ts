/** Server states are typed: a misspelt one does not compile (typecheck runs over the tests), and none repeats. */
import { describe, expect, it } from 'vitest';
import { STATUS, TASK, VM_STATE } from '../../core/ecs/states.ts';
import type { Server } from '../../schema/tenant.ts';

describe('server states', () => {
  it('types the columns by the constants, so a misspelt state is a type error', () => {
    const ok: Pick<Server, 'status' | 'vmState' | 'taskState'> = { status: STATUS.ACTIVE, vmState: VM_STATE.ACTIVE, taskState: null };
    // @ts-expect-error not a status
    const badStatus: Server['status'] = 'ACTVE';
    // @ts-expect-error not a task state
    const badTask: Server['taskState'] = 'rebooting-hard';
    expect([ok.status, badStatus, badTask]).toHaveLength(3);
  });

  it('gives every state its own name', () => {
    for (const table of [STATUS, VM_STATE, TASK]) expect(new Set(Object.values(table)).size).toBe(Object.values(table).length);
  });
});
