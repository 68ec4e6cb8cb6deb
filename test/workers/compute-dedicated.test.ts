/** Dedicated Cloud (clause 1.2.3.5): a host granted to one tenant takes only its servers, and its dedicated ones land nowhere else. */
import { describe, expect, it } from 'vitest';
import { activeServer, boot, claimsOf, computeProject, waitStatus } from './compute-helpers.ts';
import { call, json, operatorAccount, tokenFor } from './helpers.ts';

const HOST = 'eu-west-1a-cmp-04';
const ZONE = 'eu-west-1a';

describe('Dedicated Cloud hosts', () => {
  it('places dedicated servers only on the tenant host, and other tenants never there', async () => {
    const op = await tokenFor(await operatorAccount());
    const owner = await computeProject('dec', { region: 1 });
    const other = await computeProject('shared', { region: 1 });
    const granted = await call(`/ecs/admin/hosts/${HOST}`, {
      method: 'PUT',
      token: op,
      json: { host: { dedicated_project_id: owner.project } },
    });
    expect(granted.status).toBe(200);
    expect((await json(granted)).host).toMatchObject({ id: HOST, dedicated_project_id: owner.project });
    try {
      const dedicated = await activeServer(owner, { availability_zone: ZONE }, { 'os:scheduler_hints': { tenancy: 'dedicated' } });
      expect((await claimsOf(ZONE, dedicated.id))[0]?.hostId).toBe(HOST);
      // Scheduler hints steer placement; they are not the user's metadata.
      expect(dedicated.metadata).toEqual({});
      // The granted host is the emptiest of the zone: the spread weigher would pick it if tenancy allowed it.
      for (let i = 0; i < 4; i++) {
        const s = await activeServer(other, { availability_zone: ZONE, name: `shared-${i}` });
        expect((await claimsOf(ZONE, s.id))[0]?.hostId).not.toBe(HOST);
      }
      // Naming the host outright does not get another tenant onto it either.
      const pinned = await boot(other, { availability_zone: ZONE, name: 'pinned' }, { 'os:scheduler_hints': { dedicated_host_id: HOST } });
      expect((await waitStatus(other, pinned.id, 'ERROR')).fault.message).toMatch(/No valid host/);
      expect(await claimsOf(ZONE, pinned.id)).toHaveLength(0);
      const elsewhere = await boot(owner, { availability_zone: 'eu-west-1b' }, { 'os:scheduler_hints': { tenancy: 'dedicated' } });
      const failed = await waitStatus(owner, elsewhere.id, 'ERROR');
      expect(failed.fault.message).toMatch(/No valid host/);
    } finally {
      await call(`/ecs/admin/hosts/${HOST}`, { method: 'PUT', token: op, json: { host: { dedicated_project_id: null } } });
    }
  });
});
