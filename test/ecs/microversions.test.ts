/**
 * Nova microversions 2.1 to 2.26, each shape change as the API reference has it: the exact keys of a server body
 * per version (show, detail, update, rebuild) for a tenant and for the cloud operator (Nova's admin), 2.2 and
 * 2.10 key pairs, 2.9 locks, 2.13 and 2.15 server groups, 2.5 ip6, 2.17 crash dumps, 2.18 routes without the
 * project id, 2.19 descriptions, 2.21 actions of deleted servers; and the version document advertising 2.26.
 */
import { describe, expect, it } from 'vitest';
import { MAX_VERSION } from '../../workers/ecs/microversion.ts';
import { bootstrapAccounts, createUser, tokenFor } from '../fixtures.ts';
import { call, expectNativeError, expectNovaError, json, nova } from '../request.ts';
import { networkWithSubnet } from '../vpc/fixtures.ts';
import {
  activeServer,
  type ComputeProject,
  computeProject,
  imageId,
  SERVER_KEYS_2_1,
  SERVER_UPDATE_KEYS_2_1,
  waitGone,
  waitStatus,
} from './fixtures.ts';

/** The header asking for microversion 2.`minor`. */
const v = (minor: number) => ({ 'OpenStack-API-Version': `compute 2.${minor}` });
const at = (p: ComputeProject, minor: number, method: string, path: string, body?: unknown) =>
  nova(p.token, p.project, method, path, body, v(minor));
const action = (p: ComputeProject, minor: number, id: string, body: unknown) => at(p, minor, 'POST', `/servers/${id}/action`, body);
const sorted = (keys: string[]) => [...keys].sort();

const ADMIN_2_1 = ['OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:hypervisor_hostname', 'OS-EXT-SRV-ATTR:instance_name'];
const ADMIN_2_3 = [
  'OS-EXT-SRV-ATTR:reservation_id',
  'OS-EXT-SRV-ATTR:launch_index',
  'OS-EXT-SRV-ATTR:hostname',
  'OS-EXT-SRV-ATTR:kernel_id',
  'OS-EXT-SRV-ATTR:ramdisk_id',
  'OS-EXT-SRV-ATTR:root_device_name',
  'OS-EXT-SRV-ATTR:user_data',
];

/** The keys a tenant's active server has at 2.`minor` (nothing admin-only, whatever the version). */
function tenantKeys(minor: number): string[] {
  return [...SERVER_KEYS_2_1, ...(minor >= 9 ? ['locked'] : []), ...(minor >= 19 ? ['description'] : []), ...(minor >= 26 ? ['tags'] : [])];
}

/** A fresh operator account (the cloud's admin) with a project to build in. */
async function operatorProject(): Promise<ComputeProject> {
  const name = `op-${crypto.randomUUID().slice(0, 8)}`;
  const [account] = await bootstrapAccounts([{ domain: name, user: `${name}-admin`, password: 'Operator-pass-123', operator: true }]);
  const token = await tokenFor(account!);
  const { network, subnet } = await networkWithSubnet(token, '10.9.0.0/24');
  return { account: account!, token, project: account!.projects[0]!.id, region: account!.projects[0]!.name, network, subnet };
}

describe('the version document and negotiation', () => {
  it('advertises 2.26 as the maximum, answers latest with it and refuses 2.27', async () => {
    expect(MAX_VERSION).toBe('2.26');
    for (const path of ['/ecs', '/ecs/v2.1']) {
      const body = await json(await call(path));
      const doc = body.version ?? body.versions[0];
      expect(doc).toMatchObject({ id: 'v2.1', status: 'CURRENT', version: '2.26', min_version: '2.1' });
    }
    const p = await computeProject('mv');
    const latest = await nova(p.token, p.project, 'GET', '/servers', undefined, { 'OpenStack-API-Version': 'compute latest' });
    expect(latest.headers.get('OpenStack-API-Version')).toBe('compute 2.26');
    for (const minor of [2, 9, 17, 18, 19, 25, 26]) {
      const res = await at(p, minor, 'GET', '/servers');
      expect(res.status, `2.${minor}`).toBe(200);
      expect(res.headers.get('X-OpenStack-Nova-API-Version')).toBe(`2.${minor}`);
    }
    expect((await at(p, 27, 'GET', '/servers')).status).toBe(406);
  });
});

describe('server bodies per microversion', () => {
  it("a tenant's show and detail have exactly each version's keys: locked at 2.9, description at 2.19, tags at 2.26", async () => {
    const p = await computeProject('mv');
    const s = await activeServer(p, { name: 'shape' });
    for (const minor of [1, 2, 3, 8, 9, 15, 16, 18, 19, 25, 26]) {
      const shown = (await at(p, minor, 'GET', `/servers/${s.id}`)).body.server;
      expect(sorted(Object.keys(shown)), `2.${minor}`).toEqual(sorted(tenantKeys(minor)));
      const [listed] = (await at(p, minor, 'GET', '/servers/detail')).body.servers;
      expect(listed, `2.${minor}`).toEqual(shown);
    }
    const latest = (await at(p, 26, 'GET', `/servers/${s.id}`)).body.server;
    // Created at 2.1, it is described by its name (as Nova does before 2.19).
    expect(latest).toMatchObject({ locked: false, description: 'shape', tags: [] });
    expect(latest).not.toHaveProperty('host_status');
  });

  it('an update and a rebuild answer the short body, growing with locked, description and tags', async () => {
    const p = await computeProject('mv');
    const s = await activeServer(p);
    const image = await imageId(p.token, 'OBS Ubuntu 20.04');
    for (const minor of [1, 9, 19, 26]) {
      const keys = [
        ...SERVER_UPDATE_KEYS_2_1,
        ...(minor >= 9 ? ['locked'] : []),
        ...(minor >= 19 ? ['description'] : []),
        ...(minor >= 26 ? ['tags'] : []),
      ];
      const updated = await at(p, minor, 'PUT', `/servers/${s.id}`, { server: { name: `n-${minor}` } });
      expect(updated.status, JSON.stringify(updated.body)).toBe(200);
      expect(sorted(Object.keys(updated.body.server)), `PUT at 2.${minor}`).toEqual(sorted(keys));
      const rebuilt = await action(p, minor, s.id, { rebuild: { imageRef: image } });
      expect(rebuilt.status, JSON.stringify(rebuilt.body)).toBe(202);
      expect(sorted(Object.keys(rebuilt.body.server)), `rebuild at 2.${minor}`).toEqual(sorted([...keys, 'adminPass']));
      expect(rebuilt.body.server).toMatchObject({ status: 'REBUILD', progress: 100 });
      await waitStatus(p, s.id, 'ACTIVE');
    }
  });

  it("the operator sees Nova's admin-only attributes: host at 2.1, the EC2 ones at 2.3, host_status at 2.16", async () => {
    const op = await operatorProject();
    const userData = btoa('#!/bin/sh\necho hi\n');
    const s = await activeServer(op, { name: 'Admin View_1', user_data: userData });
    try {
      for (const minor of [1, 2, 3, 15, 16, 26]) {
        const keys = [...tenantKeys(minor), ...ADMIN_2_1, ...(minor >= 3 ? ADMIN_2_3 : []), ...(minor >= 16 ? ['host_status'] : [])];
        const shown = (await at(op, minor, 'GET', `/servers/${s.id}`)).body.server;
        expect(sorted(Object.keys(shown)), `2.${minor}`).toEqual(sorted(keys));
        const listed = (await at(op, minor, 'GET', '/servers/detail')).body.servers.find((x: { id: string }) => x.id === s.id);
        expect(listed).toEqual(shown);
      }
      const shown = (await at(op, 26, 'GET', `/servers/${s.id}`)).body.server;
      expect(shown).toMatchObject({
        'OS-EXT-SRV-ATTR:host': expect.stringMatching(/^eu-west-0/),
        'OS-EXT-SRV-ATTR:instance_name': `instance-${s.id.slice(0, 8)}`,
        'OS-EXT-SRV-ATTR:reservation_id': expect.stringMatching(/^r-[0-9a-z]{8}$/),
        'OS-EXT-SRV-ATTR:launch_index': 0,
        'OS-EXT-SRV-ATTR:hostname': 'admin-view-1',
        'OS-EXT-SRV-ATTR:kernel_id': '',
        'OS-EXT-SRV-ATTR:ramdisk_id': '',
        'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda',
        'OS-EXT-SRV-ATTR:user_data': userData,
        host_status: 'UP',
      });
      expect(shown['OS-EXT-SRV-ATTR:hypervisor_hostname']).toBe(shown['OS-EXT-SRV-ATTR:host']);
      // An update's short body has none of them.
      const updated = (await at(op, 26, 'PUT', `/servers/${s.id}`, { server: { name: 'renamed' } })).body.server;
      expect(Object.keys(updated).filter((k) => k.startsWith('OS-EXT') || k === 'host_status')).toEqual([]);
      expect((await at(op, 26, 'GET', `/servers/${s.id}`)).body.server['OS-EXT-SRV-ATTR:hostname']).toBe('admin-view-1');
    } finally {
      await at(op, 26, 'DELETE', `/servers/${s.id}`);
    }
  });

  it('return_reservation_id answers the reservation, which lists its servers; launch_index counts them', async () => {
    const p = await computeProject('mv');
    const res = await nova(p.token, p.project, 'POST', '/servers', {
      server: {
        name: 'batch',
        imageRef: await imageId(p.token),
        flavorRef: 's3.small.1',
        networks: [{ uuid: p.network.id }],
        min_count: 2,
        max_count: 2,
        return_reservation_id: true,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(Object.keys(res.body)).toEqual(['reservation_id']);
    expect(res.body.reservation_id).toMatch(/^r-[0-9a-z]{8}$/);
    await activeServer(p, { name: 'other' });
    const listed = (await nova(p.token, p.project, 'GET', `/servers?reservation_id=${res.body.reservation_id}`)).body.servers;
    expect(listed.map((s: { name: string }) => s.name).sort()).toEqual(['batch-1', 'batch-2']);
  });
});

describe('2.19 descriptions', () => {
  it('are given at create, update and rebuild from 2.19 (null clears), and refused before', async () => {
    const p = await computeProject('mv');
    const base = { imageRef: await imageId(p.token), flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }] };
    const described = await at(p, 19, 'POST', '/servers', { server: { ...base, name: 'd1', description: 'web front' } });
    expect(described.status, JSON.stringify(described.body)).toBe(202);
    expect(described.body.server).not.toHaveProperty('description');
    expect((await at(p, 19, 'GET', `/servers/${described.body.server.id}`)).body.server.description).toBe('web front');
    // Nothing given at 2.19: no description (null), where a 2.1 create describes with the name.
    const { id } = (await at(p, 19, 'POST', '/servers', { server: { ...base, name: 'd2' } })).body.server;
    expect((await at(p, 19, 'GET', `/servers/${id}`)).body.server.description).toBeNull();

    const updated = await at(p, 19, 'PUT', `/servers/${id}`, { server: { description: 'db tier' } });
    expect(updated.body.server).toMatchObject({ name: 'd2', description: 'db tier' });
    await waitStatus(p, id, 'ACTIVE');
    const rebuilt = await action(p, 19, id, { rebuild: { imageRef: await imageId(p.token), description: 'rebuilt' } });
    expect(rebuilt.body.server.description).toBe('rebuilt');
    await waitStatus(p, id, 'ACTIVE');
    expect((await at(p, 19, 'PUT', `/servers/${id}`, { server: { description: null } })).body.server.description).toBeNull();
    expect((await at(p, 26, 'PUT', `/servers/${id}`, { server: { description: '' } })).body.server.description).toBe('');

    for (const [minor, method, path, body] of [
      [18, 'POST', '/servers', { server: { ...base, name: 'x', description: 'early' } }],
      [18, 'PUT', `/servers/${id}`, { server: { description: 'early' } }],
      [18, 'POST', `/servers/${id}/action`, { rebuild: { imageRef: base.imageRef, description: 'early' } }],
      [19, 'PUT', `/servers/${id}`, { server: { description: 'x'.repeat(256) } }],
      [19, 'PUT', `/servers/${id}`, { server: { description: 'line\nbreak' } }],
      [19, 'POST', '/servers', { server: { ...base, name: 'x', description: 'bell\u0007' } }],
    ] as const) {
      expectNovaError(await at(p, minor, method, path, body), 400, 'badRequest');
    }
    expect((await at(p, 26, 'GET', `/servers/${id}`)).body.server.description).toBe('');
    expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers).toHaveLength(2);
  });
});

describe('2.9 locks', () => {
  it('a locked server refuses every change to its owner with 409, but renames and answers; unlock frees it', async () => {
    const p = await computeProject('lock');
    const s = await activeServer(p);
    expect((await at(p, 9, 'GET', `/servers/${s.id}`)).body.server.locked).toBe(false);
    const locked = await action(p, 1, s.id, { lock: null });
    expect(locked.status).toBe(202);
    expect(locked.body).toBeNull();
    expect((await action(p, 1, s.id, { lock: null })).status).toBe(202);
    expect((await at(p, 9, 'GET', `/servers/${s.id}`)).body.server.locked).toBe(true);
    expect((await at(p, 8, 'GET', `/servers/${s.id}`)).body.server).not.toHaveProperty('locked');

    for (const [method, path, body] of [
      ['POST', `/servers/${s.id}/action`, { 'os-stop': null }],
      ['POST', `/servers/${s.id}/action`, { reboot: { type: 'SOFT' } }],
      ['POST', `/servers/${s.id}/action`, { resize: { flavorRef: 's3.medium.2' } }],
      ['POST', `/servers/${s.id}/action`, { rebuild: { imageRef: await imageId(p.token) } }],
      ['POST', `/servers/${s.id}/action`, { trigger_crash_dump: null }],
      ['POST', `/servers/${s.id}/metadata`, { metadata: { a: 'b' } }],
      ['PUT', `/servers/${s.id}/metadata/a`, { meta: { a: 'b' } }],
      ['DELETE', `/servers/${s.id}`],
    ] as const) {
      expectNovaError(await at(p, 26, method, path, body), 409, 'conflictingRequest', new RegExp(`Instance ${s.id} is locked`));
    }
    const renamed = await at(p, 26, 'PUT', `/servers/${s.id}`, { server: { name: 'still-mine' } });
    expect(renamed.body.server).toMatchObject({ name: 'still-mine', locked: true });
    expect((await action(p, 1, s.id, { 'os-getConsoleOutput': {} })).status).toBe(200);
    const shown = (await at(p, 26, 'GET', `/servers/${s.id}`)).body.server;
    expect(shown).toMatchObject({ status: 'ACTIVE', metadata: {}, 'OS-EXT-STS:task_state': null });

    // The native API honours the lock too, and shows it.
    const native = await call(`/ecs/v1/${p.project}/cloudservers/action`, {
      method: 'POST',
      token: p.token,
      json: { 'os-stop': { servers: [{ id: s.id }] } },
    });
    const text = await native.text();
    expectNativeError({ status: native.status, body: JSON.parse(text), headers: native.headers }, 409, 'Ecs.0100', /locked/);
    const detail = await json(await call(`/ecs/v1/${p.project}/cloudservers/${s.id}`, { token: p.token }));
    expect(detail.server.locked).toBe(true);

    expect((await action(p, 1, s.id, { unlock: null })).status).toBe(202);
    expect((await at(p, 9, 'GET', `/servers/${s.id}`)).body.server.locked).toBe(false);
    expect((await action(p, 1, s.id, { 'os-stop': null })).status).toBe(202);
    await waitStatus(p, s.id, 'SHUTOFF');
    const actions = (await nova(p.token, p.project, 'GET', `/servers/${s.id}/os-instance-actions`)).body.instanceActions;
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['stop', 'unlock', 'lock', 'create']);
    // Nova validates lock's body only from 2.73 and unlock's never: below it any value is accepted and ignored.
    for (const body of [{ lock: {} }, { unlock: { x: 1 } }]) expect((await action(p, 9, s.id, body)).status).toBe(202);
    expect((await at(p, 9, 'GET', `/servers/${s.id}`)).body.server.locked).toBe(false);
  });

  it("the operator (Nova's admin) is not stopped by a lock", async () => {
    const op = await operatorProject();
    const s = await activeServer(op);
    expect((await action(op, 9, s.id, { lock: null })).status).toBe(202);
    expect((await action(op, 9, s.id, { 'os-stop': null })).status).toBe(202);
    await waitStatus(op, s.id, 'SHUTOFF');
    expect((await at(op, 9, 'DELETE', `/servers/${s.id}`)).status).toBe(204);
    await waitGone(op, s.id);
  });
});

describe('2.17 trigger_crash_dump', () => {
  it('is unknown before 2.17, then injects an NMI into a running server (409 when it is not running)', async () => {
    const p = await computeProject('mv');
    const s = await activeServer(p);
    expectNovaError(await action(p, 16, s.id, { trigger_crash_dump: null }), 404, 'itemNotFound');
    const res = await action(p, 17, s.id, { trigger_crash_dump: null });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toBeNull();
    expect((await action(p, 17, s.id, { 'os-getConsoleOutput': {} })).body.output).toContain('NMI received');
    expectNovaError(await action(p, 17, s.id, { trigger_crash_dump: {} }), 400, 'badRequest');
    await action(p, 17, s.id, { 'os-stop': null });
    await waitStatus(p, s.id, 'SHUTOFF');
    expectNovaError(await action(p, 17, s.id, { trigger_crash_dump: null }), 409, 'conflictingRequest');
    const actions = (await nova(p.token, p.project, 'GET', `/servers/${s.id}/os-instance-actions`)).body.instanceActions;
    expect(actions.map((a: { action: string }) => a.action)).toContain('trigger_crash_dump');
  });
});

describe('2.18 routes without the project id', () => {
  it('serves the same API at /ecs/v2.1 with the token’s project, and links without it', async () => {
    const p = await computeProject('mv');
    const s = await activeServer(p);
    const res = await call(`/ecs/v2.1/servers/${s.id}`, { token: p.token, headers: v(18) });
    expect(res.status).toBe(200);
    const server = (await json(res)).server;
    expect(server.links[0].href).toBe(`http://cloud.test/ecs/v2.1/servers/${s.id}`);
    expect(server.flavor.links[0].href).toBe('http://cloud.test/ecs/v2.1/flavors/s3.small.1');
    const flavors = await json(await call('/ecs/v2.1/flavors/detail', { token: p.token }));
    expect(flavors.flavors[0].links[0].href).toMatch(/^http:\/\/cloud\.test\/ecs\/v2\.1\/flavors\//);
    const list = await json(await call('/ecs/v2.1/servers', { token: p.token }));
    expect(list.servers.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect((await call('/ecs/v2.1/servers', {})).status).toBe(401);
    // With the project id, links keep it.
    expect((await at(p, 18, 'GET', `/servers/${s.id}`)).body.server.links[0].href).toContain(`/v2.1/${p.project}/servers/`);
  });
});

describe('2.21 actions of deleted servers', () => {
  it('answers a deleted server’s actions from 2.21, with its deletion, and 404 before', async () => {
    const p = await computeProject('mv');
    const s = await activeServer(p);
    expect((await nova(p.token, p.project, 'DELETE', `/servers/${s.id}`)).status).toBe(204);
    await waitGone(p, s.id);
    expectNovaError(await at(p, 20, 'GET', `/servers/${s.id}/os-instance-actions`), 404, 'itemNotFound');
    const list = await at(p, 21, 'GET', `/servers/${s.id}/os-instance-actions`);
    expect(list.status).toBe(200);
    expect(list.body.instanceActions.map((a: { action: string }) => a.action)).toEqual(['delete', 'create']);
    const one = await at(p, 21, 'GET', `/servers/${s.id}/os-instance-actions/${list.body.instanceActions[0].request_id}`);
    expect(one.body.instanceAction).toMatchObject({ action: 'delete', instance_uuid: s.id });
    expectNovaError(await at(p, 21, 'GET', `/servers/${crypto.randomUUID()}/os-instance-actions`), 404, 'itemNotFound');
  });
});

describe('2.5 ip6', () => {
  it('filters by IPv6 address from 2.5 (no server has one), and is ignored before', async () => {
    const p = await computeProject('mv');
    await activeServer(p);
    expect((await at(p, 4, 'GET', '/servers?ip6=.*')).body.servers).toHaveLength(1);
    expect((await at(p, 5, 'GET', '/servers?ip6=.*')).body.servers).toEqual([]);
    expectNovaError(await at(p, 5, 'GET', '/servers?ip6=(('), 400, 'badRequest');
  });
});

describe('key pairs: 2.2 types, 2.10 users', () => {
  it('2.1 has no type (200, 202); 2.2 shows it, answers 201 and 204, and makes x509 certificates', async () => {
    const p = await computeProject('kp');
    const old = await at(p, 1, 'POST', '/os-keypairs', { keypair: { name: 'k21' } });
    expect(old.status).toBe(200);
    expect(sorted(Object.keys(old.body.keypair))).toEqual(['fingerprint', 'name', 'private_key', 'public_key', 'user_id']);
    expectNovaError(await at(p, 1, 'POST', '/os-keypairs', { keypair: { name: 'k', type: 'ssh' } }), 400, 'badRequest');
    expect(Object.keys((await at(p, 1, 'GET', '/os-keypairs')).body.keypairs[0].keypair).sort()).toEqual([
      'fingerprint',
      'name',
      'public_key',
    ]);

    const made = await at(p, 2, 'POST', '/os-keypairs', { keypair: { name: 'k22' } });
    expect(made.status).toBe(201);
    expect(made.body.keypair).toMatchObject({ name: 'k22', type: 'ssh', user_id: p.account.userId });
    const x509 = await at(p, 2, 'POST', '/os-keypairs', { keypair: { name: 'cert', type: 'x509' } });
    expect(x509.status, JSON.stringify(x509.body)).toBe(201);
    expect(x509.body.keypair).toMatchObject({ type: 'x509', private_key: expect.stringContaining('PRIVATE KEY') });
    expect(x509.body.keypair.public_key).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/);
    expect(x509.body.keypair.fingerprint).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    // The certificate imports back with the same SHA-1 fingerprint; an SSH key is no certificate.
    const imported = await at(p, 2, 'POST', '/os-keypairs', {
      keypair: { name: 'cert2', type: 'x509', public_key: x509.body.keypair.public_key },
    });
    expect(imported.body.keypair).toEqual({
      name: 'cert2',
      type: 'x509',
      public_key: x509.body.keypair.public_key.trim(),
      fingerprint: x509.body.keypair.fingerprint,
      user_id: p.account.userId,
    });
    const ssh = made.body.keypair.public_key;
    expectNovaError(await at(p, 2, 'POST', '/os-keypairs', { keypair: { name: 'bad', type: 'x509', public_key: ssh } }), 400);
    expectNovaError(await at(p, 2, 'POST', '/os-keypairs', { keypair: { name: 'bad', type: 'rsa' } }), 400);

    const listed = (await at(p, 2, 'GET', '/os-keypairs')).body.keypairs.map((k: { keypair: any }) => k.keypair);
    for (const k of listed) expect(sorted(Object.keys(k))).toEqual(['fingerprint', 'name', 'public_key', 'type']);
    const shown = (await at(p, 2, 'GET', '/os-keypairs/cert')).body.keypair;
    expect(shown).toMatchObject({ type: 'x509', deleted: false, id: 0 });
    expect((await at(p, 1, 'GET', '/os-keypairs/cert')).body.keypair).not.toHaveProperty('type');
    expect((await at(p, 1, 'DELETE', '/os-keypairs/k21')).status).toBe(202);
    const del = await at(p, 2, 'DELETE', '/os-keypairs/k22');
    expect(del.status).toBe(204);
    expect(del.body).toBeNull();
  });

  it('2.10 names the user: a tenant only itself, the operator anyone', async () => {
    const p = await computeProject('kp');
    const me = p.account.userId;
    const other = await createUser(p.account, p.token, { role: 'te_admin' });
    expectNovaError(await at(p, 9, 'POST', '/os-keypairs', { keypair: { name: 'k', user_id: me } }), 400, 'badRequest');
    expect((await at(p, 10, 'POST', '/os-keypairs', { keypair: { name: 'mine', user_id: me } })).status).toBe(201);
    expectNovaError(await at(p, 10, 'POST', '/os-keypairs', { keypair: { name: 'theirs', user_id: other.id } }), 403, 'forbidden');
    expectNovaError(await at(p, 10, 'GET', `/os-keypairs?user_id=${other.id}`), 403, 'forbidden');
    expectNovaError(await at(p, 10, 'GET', `/os-keypairs/mine?user_id=${other.id}`), 403, 'forbidden');
    expectNovaError(await at(p, 10, 'DELETE', `/os-keypairs/mine?user_id=${other.id}`), 403, 'forbidden');
    expect((await at(p, 10, 'GET', `/os-keypairs?user_id=${me}`)).body.keypairs.map((k: any) => k.keypair.name)).toEqual(['mine']);
    expect((await at(p, 10, 'GET', `/os-keypairs/mine?user_id=${me}`)).status).toBe(200);

    const op = await operatorProject();
    const opUser = crypto.randomUUID().replaceAll('-', '');
    const forOther = await at(op, 10, 'POST', '/os-keypairs', { keypair: { name: 'delegated', user_id: opUser } });
    expect(forOther.status).toBe(201);
    expect(forOther.body.keypair.user_id).toBe(opUser);
    expect((await at(op, 10, 'GET', `/os-keypairs?user_id=${opUser}`)).body.keypairs.map((k: any) => k.keypair.name)).toEqual([
      'delegated',
    ]);
    expectNovaError(await at(op, 10, 'GET', `/os-keypairs/delegated?user_id=${op.account.userId}`), 404, 'itemNotFound');
    expect((await at(op, 10, 'DELETE', `/os-keypairs/delegated?user_id=${opUser}`)).status).toBe(204);
  });
});

describe('server groups: 2.13 owners, 2.15 soft policies', () => {
  it('refuses soft policies before 2.15 and shows project and user from 2.13', async () => {
    const p = await computeProject('sg');
    for (const policy of ['soft-affinity', 'soft-anti-affinity']) {
      const body = { server_group: { name: policy, policies: [policy] } };
      expectNovaError(await at(p, 14, 'POST', '/os-server-groups', body), 400, 'badRequest');
      expect((await at(p, 15, 'POST', '/os-server-groups', body)).status).toBe(200);
    }
    const made = (await at(p, 12, 'POST', '/os-server-groups', { server_group: { name: 'g', policies: ['affinity'] } })).body.server_group;
    expect(sorted(Object.keys(made))).toEqual(['id', 'members', 'metadata', 'name', 'policies']);
    const shown = (await at(p, 13, 'GET', `/os-server-groups/${made.id}`)).body.server_group;
    expect(shown).toEqual({ ...made, project_id: p.project, user_id: p.account.userId });
    const listed = (await at(p, 13, 'GET', '/os-server-groups')).body.server_groups;
    for (const g of listed) expect(sorted(Object.keys(g))).toEqual(sorted([...Object.keys(made), 'project_id', 'user_id']));
    expect((await at(p, 12, 'GET', '/os-server-groups')).body.server_groups[0]).not.toHaveProperty('project_id');
  });
});
