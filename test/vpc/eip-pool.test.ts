/**
 * Redelivery and idempotence of Elastic IP allocation: the region's EipPoolDO called directly, the TenantDO's
 * allocation retried with the same id, and the alarm finishing steps that a crash interrupted.
 */

import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/durable-sqlite';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import * as eips from '../../durable/vpc/eips.ts';
import { newAccount, tokenFor } from '../fixtures.ts';
import { neutron } from '../request.ts';
import { create, externalNetworkId, listIds, networkWithSubnet } from './fixtures.ts';

const REGION = 'eu-west-0';
const bindings = env as unknown as Env;
const pool = () => bindings.EIP_POOL.getByName(REGION);

describe('EipPoolDO', () => {
  it('allocating twice with the same EIP id gives the same address and holds it once', async () => {
    const id = crypto.randomUUID();
    const before = (await pool().usage(REGION)).held;
    const first = await pool().allocate(REGION, id, 'p1');
    const second = await pool().allocate(REGION, id, 'p1');
    expect('ok' in first && first.ok.address).toMatch(/^80\.158\./);
    expect(second).toEqual(first);
    // Even a redelivery that names another address gets the one it holds.
    expect(await pool().allocate(REGION, id, 'p1', '80.158.30.30')).toEqual(first);
    expect((await pool().usage(REGION)).held).toBe(before + 1);
    await pool().release(id);
  });

  it('releasing twice is harmless, and the address is free again', async () => {
    const id = crypto.randomUUID();
    const before = (await pool().usage(REGION)).held;
    const got = await pool().allocate(REGION, id, 'p1');
    if (!('ok' in got)) throw new Error(`no address: ${got.error.message}`);
    await pool().release(id);
    await pool().release(id);
    await pool().release(crypto.randomUUID());
    expect((await pool().usage(REGION)).held).toBe(before);
    const other = crypto.randomUUID();
    expect(await pool().allocate(REGION, other, 'p2', got.ok.address)).toEqual({ ok: { address: got.ok.address } });
    await pool().release(other);
  });

  it('refuses a wanted address that another EIP holds, or one outside the pool', async () => {
    const holder = crypto.randomUUID();
    const wanted = '80.158.20.20';
    expect(await pool().allocate(REGION, holder, 'p1', wanted)).toEqual({ ok: { address: wanted } });
    const before = (await pool().usage(REGION)).held;
    expect(await pool().allocate(REGION, crypto.randomUUID(), 'p2', wanted)).toMatchObject({
      error: { status: 409, kind: 'IpAddressInUse' },
    });
    for (const outside of ['10.0.0.1', '80.158.16.0', '80.158.31.255', '80.158.32.1', 'nonsense']) {
      expect(await pool().allocate(REGION, crypto.randomUUID(), 'p2', outside), outside).toMatchObject({
        error: { status: 400, kind: 'InvalidIpAddress' },
      });
    }
    expect((await pool().usage(REGION)).held).toBe(before);
    await pool().release(holder);
  });

  it('hands out the lowest free address, skipping held ones, and reuses the lowest freed', async () => {
    const ids = Array.from({ length: 3 }, () => crypto.randomUUID());
    const got: string[] = [];
    for (const id of ids) {
      const r = await pool().allocate(REGION, id, 'p1');
      if (!('ok' in r)) throw new Error(r.error.message);
      got.push(r.ok.address);
    }
    expect(new Set(got).size).toBe(3);
    await pool().release(ids[0]!);
    await pool().release(ids[1]!);
    const next = crypto.randomUUID();
    expect(await pool().allocate(REGION, next, 'p1')).toEqual({ ok: { address: got[0] } });
    for (const id of [ids[2]!, next]) await pool().release(id);
  });

  it('tells held from total', async () => {
    const { total } = await pool().usage(REGION);
    expect(total).toBe(4096 - 2);
    expect((await bindings.EIP_POOL.getByName('eu-west-1').usage('eu-west-1')).total).toBe(2048 - 2);
  });
});

describe('TenantDO allocation under redelivery', () => {
  it('a retried allocation with the same EIP id answers the same EIP, counted once', async () => {
    const account = await newAccount('redeliver');
    const project = account.projects[0]!.id;
    const token = await tokenFor(account);
    const tenant = bindings.TENANT.getByName(project);
    const { network } = await networkWithSubnet(token);
    const port = await create(token, 'ports', 'port', { network_id: network.id });
    const held = (await pool().usage(REGION)).held;
    const id = crypto.randomUUID();
    const input = { id, region: REGION, bandwidth: { shareType: 'PER' as const, size: 5, chargeMode: 'traffic' as const } };

    const first = await tenant.allocateEip(input, project, { portId: port.id });
    const second = await tenant.allocateEip(input, project, { portId: port.id });
    if (!('ok' in first) || !('ok' in second)) throw new Error(JSON.stringify({ first, second }));
    expect(second.ok).toMatchObject({ id, address: first.ok.address, status: 'ACTIVE', portId: port.id });
    expect(await listIds(token, '/floatingips')).toEqual([id]);
    expect((await pool().usage(REGION)).held).toBe(held + 1);
    const details = (await neutron(token, 'GET', `/quotas/${project}/details`)).body.quota;
    expect(details.floatingip.used).toBe(1);

    expect(await tenant.releaseEip(id)).toEqual({ ok: null });
    expect((await tenant.releaseEip(id)) as unknown).toMatchObject({ error: { status: 404 } });
    expect((await pool().usage(REGION)).held).toBe(held);
  });

  it('the alarm finishes an allocation interrupted after the pool step, with the address the pool holds', async () => {
    const account = await newAccount('crash');
    const project = account.projects[0]!.id;
    const token = await tokenFor(account);
    const tenant = bindings.TENANT.getByName(project);
    const id = crypto.randomUUID();
    const long = new Date(Date.now() - 60_000).toISOString();
    // Step 1 ran (the record is PENDING_CREATE, a minute old), step 2 ran (the pool holds an address), step 3 was lost.
    await runInDurableObject(tenant, async (_instance, state) => {
      eips.reserveEip({ db: drizzle(state.storage), now: long }, { id, region: REGION, bandwidth: { shareType: 'PER' } });
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    const got = await pool().allocate(REGION, id, project);
    if (!('ok' in got)) throw new Error(got.error.message);
    const pending = (await neutron(token, 'GET', `/floatingips/${id}`)).body.floatingip;
    expect(pending.floating_ip_address).toBeNull();

    expect(await runDurableObjectAlarm(tenant)).toBe(true);
    const done = (await neutron(token, 'GET', `/floatingips/${id}`)).body.floatingip;
    expect(done).toMatchObject({ id, floating_ip_address: got.ok.address, status: 'DOWN' });
    expect(await pool().allocate(REGION, id, project)).toEqual(got);
    expect((await neutron(token, 'DELETE', `/floatingips/${id}`)).status).toBe(204);
  });

  it('the alarm finishes a release interrupted before the pool step: the address goes back, the record goes', async () => {
    const account = await newAccount('crash');
    const project = account.projects[0]!.id;
    const token = await tokenFor(account);
    const tenant = bindings.TENANT.getByName(project);
    const ext = await externalNetworkId(token);
    const f = await create(token, 'floatingips', 'floatingip', { floating_network_id: ext });
    const long = new Date(Date.now() - 60_000).toISOString();
    // Step 1 of the release ran (PENDING_DELETE, a minute old); the pool was never told.
    await runInDurableObject(tenant, async (_instance, state) => {
      eips.beginRelease({ db: drizzle(state.storage), now: long }, f.id);
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await pool().allocate(REGION, crypto.randomUUID(), 'p2', f.floating_ip_address)).toMatchObject({
      error: { status: 409, kind: 'IpAddressInUse' },
    });
    expect((await neutron(token, 'GET', `/floatingips/${f.id}`)).body.floatingip.status).toBe('DOWN');

    expect(await runDurableObjectAlarm(tenant)).toBe(true);
    expect((await neutron(token, 'GET', `/floatingips/${f.id}`)).status).toBe(404);
    const reuse = crypto.randomUUID();
    expect(await pool().allocate(REGION, reuse, 'p2', f.floating_ip_address)).toEqual({ ok: { address: f.floating_ip_address } });
    await pool().release(reuse);
  });
});
