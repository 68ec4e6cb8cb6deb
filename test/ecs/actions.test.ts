/**
 * Nova server actions: stop, start and reboot driven through the queue to the host, the states each is allowed
 * from (409 otherwise), actions that do not exist or are not offered yet (400), and the console log.
 */
import { describe, expect, it } from 'vitest';
import { expectNovaError, nova } from '../request.ts';
import { activeServer, claimsOf, computeProject, holdHost, waitFor, waitStatus } from './fixtures.ts';

const act = (p: { token: string; project: string }, id: string, body: unknown) =>
  nova(p.token, p.project, 'POST', `/servers/${id}/action`, body);

describe('power actions', () => {
  it('stops to SHUTOFF, starts to ACTIVE, reboots SOFT and HARD back to ACTIVE', async () => {
    const p = await computeProject();
    const s = await activeServer(p);

    const stop = await act(p, s.id, { 'os-stop': null });
    expect(stop.status, JSON.stringify(stop.body)).toBe(202);
    expect(stop.body).toBeNull();
    const stopped = await waitStatus(p, s.id, 'SHUTOFF');
    expect(stopped).toMatchObject({ 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:power_state': 4, 'OS-EXT-STS:task_state': null });

    const start = await act(p, s.id, { 'os-start': null });
    expect(start.status).toBe(202);
    const started = await waitStatus(p, s.id, 'ACTIVE');
    expect(started).toMatchObject({ 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 1 });

    for (const type of ['SOFT', 'HARD']) {
      const reboot = await act(p, s.id, { reboot: { type } });
      expect(reboot.status, type).toBe(202);
      // Right after the request the server is rebooting (or already back); it ends ACTIVE and running.
      const after = await waitStatus(p, s.id, 'ACTIVE');
      expect(after).toMatchObject({ 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 1 });
    }
    const log = await act(p, s.id, { 'os-getConsoleOutput': {} });
    expect(log.body.output).toContain('Soft reboot requested');
    expect(log.body.output).toContain('Hard reboot requested');

    // Nova's schema takes the type in any of its cases, and os-stop with an empty object.
    const hold = await holdHost((await claimsOf(s['OS-EXT-AZ:availability_zone'], s.id))[0]!.hostId, 300);
    expect((await act(p, s.id, { reboot: { type: 'hard' } })).status).toBe(202);
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server.status).toBe('HARD_REBOOT');
    await hold.released;
    await waitStatus(p, s.id, 'ACTIVE');
    expect((await act(p, s.id, { 'os-stop': {} })).status).toBe(202);
    await waitStatus(p, s.id, 'SHUTOFF');
    expect((await act(p, s.id, { 'os-start': {} })).status).toBe(202);
    await waitStatus(p, s.id, 'ACTIVE');

    // A HARD reboot of a stopped server powers it on.
    await act(p, s.id, { 'os-stop': null });
    await waitStatus(p, s.id, 'SHUTOFF');
    expect((await act(p, s.id, { reboot: { type: 'HARD' } })).status).toBe(202);
    expect(await waitStatus(p, s.id, 'ACTIVE')).toMatchObject({ 'OS-EXT-STS:power_state': 1 });
  });

  it('refuses an action the state does not allow with 409 conflictingRequest, and changes nothing', async () => {
    const p = await computeProject();
    const s = await activeServer(p);
    const res = await act(p, s.id, { 'os-start': null });
    expectNovaError(res, 409, 'conflictingRequest', /os-start/);
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 1,
    });

    await act(p, s.id, { 'os-stop': null });
    await waitStatus(p, s.id, 'SHUTOFF');
    expectNovaError(await act(p, s.id, { 'os-stop': null }), 409, 'conflictingRequest', /os-stop/);
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server.status).toBe('SHUTOFF');
  });

  it('shows the task while the host works, and refuses a second action meanwhile', async () => {
    const p = await computeProject();
    const s = await activeServer(p);
    const [claim] = await claimsOf(s['OS-EXT-AZ:availability_zone'], s.id);
    for (const [body, during, after] of [
      [{ 'os-stop': null }, { status: 'ACTIVE', 'OS-EXT-STS:task_state': 'powering-off' }, 'SHUTOFF'],
      [{ 'os-start': null }, { status: 'SHUTOFF', 'OS-EXT-STS:task_state': 'powering-on' }, 'ACTIVE'],
      [{ reboot: { type: 'SOFT' } }, { status: 'REBOOT', 'OS-EXT-STS:task_state': 'rebooting' }, 'ACTIVE'],
      [{ reboot: { type: 'HARD' } }, { status: 'HARD_REBOOT', 'OS-EXT-STS:task_state': 'rebooting_hard' }, 'ACTIVE'],
    ] as const) {
      // Held until the checks are done, and never as long as two missed heartbeats (1 s here), which would declare
      // the host failed; 400 ms alone let a loaded machine finish the action before the checks.
      const hold = await holdHost(claim!.hostId, 900);
      expect((await act(p, s.id, body)).status).toBe(202);
      expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server).toMatchObject(during);
      for (const other of [{ 'os-stop': null }, { 'os-start': null }, { reboot: { type: 'HARD' } }]) {
        expectNovaError(await act(p, s.id, other), 409, 'conflictingRequest', /task_state/);
      }
      hold.release();
      await hold.released;
      await waitStatus(p, s.id, after);
    }
  });

  it('answers 400 to unknown, unsupported, several or malformed actions', async () => {
    const p = await computeProject();
    const s = await activeServer(p);
    for (const body of [
      { bogus: null },
      { shelve: null },
      { 'os-migrateLive': { host: null, block_migration: 'auto' } },
      { 'os-stop': null, 'os-start': null },
      {},
      { reboot: { type: 'GENTLE' } },
      { reboot: {} },
      { reboot: null },
      { reboot: { type: 'SOFT', force: true } },
      { 'os-stop': 'now' },
      { 'os-getConsoleOutput': null },
    ]) {
      expectNovaError(await act(p, s.id, body), 400, 'badRequest');
    }
    const unsupported = await act(p, s.id, { shelve: null });
    expect(unsupported.body.badRequest.message).toMatch(/shelve/);
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server).toMatchObject({
      status: 'ACTIVE',
      flavor: { id: 's3.small.1' },
      'OS-EXT-STS:task_state': null,
    });
    // An action on a server that does not exist is 404.
    expectNovaError(await act(p, crypto.randomUUID(), { 'os-stop': null }), 404, 'itemNotFound');
  });
});

describe('console output', () => {
  it('shows the boot log, and its last N lines with length', async () => {
    const p = await computeProject();
    const s = await activeServer(p, { name: 'logged' });
    const [addr] = s.addresses[p.network.name];

    const full = await act(p, s.id, { 'os-getConsoleOutput': {} });
    expect(full.status).toBe(200);
    expect(Object.keys(full.body)).toEqual(['output']);
    const lines = full.body.output.split('\n');
    expect(lines.length).toBeGreaterThan(4);
    expect(full.body.output).toContain('Linux version');
    expect(full.body.output).toContain(`for logged (${s.image.id}, s3.small.1)`);
    expect(full.body.output).toContain(addr.addr);
    expect(full.body.output).toContain('Cloud-init finished');
    expect(lines.at(-1)).toBe('logged login: ');

    for (const length of [2, '2']) {
      const tail = await act(p, s.id, { 'os-getConsoleOutput': { length } });
      expect(tail.status).toBe(200);
      expect(tail.body.output.split('\n')).toEqual(lines.slice(-2));
    }
    const one = await act(p, s.id, { 'os-getConsoleOutput': { length: 1 } });
    expect(one.body.output).toBe('logged login: ');
    for (const length of [null, -1]) {
      expect((await act(p, s.id, { 'os-getConsoleOutput': { length } })).body.output).toBe(full.body.output);
    }
    for (const length of ['two', -5, 1.5]) {
      expectNovaError(await act(p, s.id, { 'os-getConsoleOutput': { length } }), 400, 'badRequest');
    }
    expectNovaError(await act(p, s.id, { 'os-getConsoleOutput': { length: 2, lines: 2 } }), 400, 'badRequest');
  });

  it('shows the key pair and the user data script in the boot log', async () => {
    const p = await computeProject();
    const key = await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name: 'k' } });
    expect(key.status).toBe(200);
    const s = await activeServer(p, { key_name: 'k', user_data: btoa('#!/bin/sh\necho hi\n') });
    expect(s.key_name).toBe('k');
    const out = (await act(p, s.id, { 'os-getConsoleOutput': {} })).body.output;
    expect(out).toContain('Authorized key k');
    expect(out).toContain('user-data');
    const plain = await activeServer(p, { name: 'plain' });
    const plainOut = (await act(p, plain.id, { 'os-getConsoleOutput': {} })).body.output;
    expect(plainOut).not.toContain('Authorized key');
    expect(plainOut).not.toContain('user-data');
    await waitFor(p, s.id, (x) => x.status === 'ACTIVE');
  });
});
