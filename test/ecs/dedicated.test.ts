/**
 * Dedicated Cloud (clause 1.2.3.5): a host granted to one tenant takes only its servers, and its dedicated ones land
 * nowhere else. The Dedicated Host hint `dedicated_host_id` names one of the project's own granted hosts: any other
 * host is refused at the API alike, and placement checks the grant again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { call, expectNativeError, expectNovaError, json, nova } from '../request.ts';
import {
  activeServer,
  bindings,
  boot,
  type ComputeProject,
  claimsOf,
  computeProject,
  created,
  imageId,
  ecs as nativeEcs,
  nativeTenant,
  serverBody,
  waitFor,
  waitStatus,
} from './fixtures.ts';

const ZONE = 'eu-west-1a';
const HOST = 'eu-west-1a-cmp-04';
const SPARE = 'eu-west-1a-cmp-03';

let granted: string[] = [];

/** The operator grants a host to a project (null: takes it back). */
async function grant(hostId: string, project: string | null) {
  const op = await tokenFor(await operatorAccount());
  const res = await call(`/ecs/admin/hosts/${hostId}`, { method: 'PUT', token: op, json: { host: { dedicated_project_id: project } } });
  expect(res.status).toBe(200);
  if (project) granted.push(hostId);
  return (await json(res)).host;
}

afterEach(async () => {
  for (const h of granted) await grant(h, null);
  granted = [];
});

/** Asks Nova for a server pinned by the hint (and whatever else is given); answers the raw response. */
async function pinned(p: ComputeProject, hostId: string, server: Record<string, unknown> = {}, hints: Record<string, unknown> = {}) {
  return nova(p.token, p.project, 'POST', '/servers', {
    server: { name: 'pinned', imageRef: await imageId(p.token), flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }], ...server },
    'os:scheduler_hints': { dedicated_host_id: hostId, ...hints },
  });
}

describe('Dedicated Cloud hosts', () => {
  it('places dedicated servers only on the tenant host, and other tenants never there', async () => {
    const owner = await computeProject('dec', { region: 1 });
    const other = await computeProject('shared', { region: 1 });
    expect(await grant(HOST, owner.project)).toMatchObject({ id: HOST, dedicated_project_id: owner.project });
    const dedicated = await activeServer(owner, { availability_zone: ZONE }, { 'os:scheduler_hints': { tenancy: 'dedicated' } });
    expect((await claimsOf(ZONE, dedicated.id))[0]?.hostId).toBe(HOST);
    // Scheduler hints steer placement; they are not the user's metadata.
    expect(dedicated.metadata).toEqual({});
    // The granted host is the emptiest of the zone: the spread weigher would pick it if tenancy allowed it.
    for (let i = 0; i < 4; i++) {
      const s = await activeServer(other, { availability_zone: ZONE, name: `shared-${i}` });
      expect((await claimsOf(ZONE, s.id))[0]?.hostId).not.toBe(HOST);
    }
    const elsewhere = await boot(owner, { availability_zone: 'eu-west-1b' }, { 'os:scheduler_hints': { tenancy: 'dedicated' } });
    expect((await waitStatus(owner, elsewhere.id, 'ERROR')).fault.message).toMatch(/No valid host/);
  });
});

describe('the dedicated_host_id hint', () => {
  it("refuses at the API any host that is not one of the project's own, alike, and creates nothing", async () => {
    const owner = await computeProject('dec', { region: 1 });
    const other = await computeProject('shared', { region: 1 });
    await grant(HOST, owner.project);
    const refusals = new Map<string, string>();
    // Another tenant's dedicated host, a shared host, one that does not exist, one of another region.
    for (const [p, hostId] of [
      [other, HOST],
      [other, 'eu-west-1a-cmp-01'],
      [other, 'eu-west-1a-cmp-99'],
      [owner, 'eu-west-0a-cmp-01'],
    ] as const) {
      const res = await pinned(p, hostId);
      expectNovaError(res, 400, 'badRequest', /not allocated to this project/);
      refusals.set(hostId, res.body.badRequest.message.replace(hostId, '<host>'));
    }
    // The same words whether the host is another tenant's, nobody's or nowhere: nothing is learnt of it.
    expect(new Set(refusals.values()).size).toBe(1);
    for (const p of [owner, other]) expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers).toEqual([]);

    expectNovaError(
      await pinned(owner, HOST, { availability_zone: 'eu-west-1b' }),
      400,
      'badRequest',
      /is in availability zone eu-west-1a/,
    );
    expectNovaError(await pinned(owner, HOST, {}, { tenancy: 'shared' }), 400, 'badRequest', /tenancy is shared/);
    expect((await nova(owner.token, owner.project, 'GET', '/servers')).body.servers).toEqual([]);
  });

  it("pins the project's servers to its own host, in that host's zone, through Nova and the native API", async () => {
    const owner = await computeProject('dec', { region: 1 });
    await grant(HOST, owner.project);
    // No zone asked: the server goes to the host's.
    const res = await pinned(owner, HOST);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const s = await waitStatus(owner, res.body.server.id, 'ACTIVE');
    expect(s['OS-EXT-AZ:availability_zone']).toBe(ZONE);
    expect((await claimsOf(ZONE, s.id))[0]?.hostId).toBe(HOST);

    const t = await nativeTenant('10.0.1.0/24', { region: 1 });
    const hint = { 'os:scheduler_hints': { dedicated_host_id: HOST } };
    expectNativeError(await nativeEcs(t, 'POST', '/cloudservers', serverBody(t, hint)), 400, 'Ecs.0005', /not allocated/);
    await grant(HOST, t.project);
    const { ids } = await created(t, { count: 2, ...hint });
    for (const id of ids) expect((await claimsOf(ZONE, id))[0]?.hostId).toBe(HOST);
  });

  it('placement checks the grant again: a server recorded for a host no longer granted ends in ERROR, placed nowhere', async () => {
    const p = await computeProject('dec', { region: 1 });
    // As if the grant was taken back between the API's check and the build: the TenantDO records it as asked.
    const id = crypto.randomUUID();
    const made = await bindings.TENANT.getByName(p.project).createServers(p.project, [
      {
        id,
        name: 'late',
        userId: 'u',
        flavor: { id: 's3.small.1', vcpus: 1, ramMb: 1024, diskGb: 40 },
        imageId: await imageId(p.token),
        zone: ZONE,
        nics: [{ networkId: p.network.id }],
        securityGroups: [],
        hints: { tenancy: 'dedicated', dedicatedHostId: HOST },
      },
    ]);
    expect(made).toEqual({ ok: [expect.objectContaining({ id })] });
    expect((await waitStatus(p, id, 'ERROR')).fault.message).toMatch(/No valid host/);
    expect(await claimsOf(ZONE, id)).toEqual([]);
  });

  it("a pinned server whose host fails comes back on another of its project's dedicated hosts, never a shared one", async () => {
    const owner = await computeProject('dec', { region: 1 });
    await grant(HOST, owner.project);
    await grant(SPARE, owner.project);
    const op = await tokenFor(await operatorAccount());
    const res = await pinned(owner, HOST);
    const before = await waitStatus(owner, res.body.server.id, 'ACTIVE');
    try {
      const failed = await call(`/ecs/admin/hosts/${HOST}/fail`, { method: 'POST', token: op, json: { immediate: true } });
      expect(failed.status).toBe(202);
      const after = await waitFor(owner, before.id, (s) => s.status === 'ACTIVE' && s.hostId !== before.hostId, 15_000);
      expect(after.addresses).toEqual(before.addresses);
      expect((await claimsOf(ZONE, before.id))[0]?.hostId).toBe(SPARE);
    } finally {
      await call(`/ecs/admin/hosts/${HOST}/revive`, { method: 'POST', token: op });
    }
  });
});
