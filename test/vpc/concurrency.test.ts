/**
 * Under load: parallel port creations in one subnet never share an address, and parallel floating IP allocations
 * across tenants never share a public address; released addresses go back to the pool.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import { parseIp } from '../../core/ipv4.ts';
import { manyAccounts, newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { neutron } from '../request.ts';
import { externalNetworkId, listIds, networkWithSubnet, setQuota } from './fixtures.ts';

// Hundreds of requests through auth and the Durable Objects: more than the default per-test timeout when the suite runs in parallel.
const LOAD_TIMEOUT_MS = 120_000;
const pool = () => (env as unknown as Env).EIP_POOL.getByName('eu-west-0');
const byAddress = (a: string, b: string) => parseIp(a)! - parseIp(b)!;
const inPublicPool = (ip: string) => parseIp(ip)! > parseIp('80.158.16.0')! && parseIp(ip)! < parseIp('80.158.31.255')!;

describe('ports', () => {
  it(
    '100 parallel port creations in one /24 get 100 distinct addresses, the lowest of the pool',
    async () => {
      const token = await tokenFor(await newAccount('ports-load'));
      const { network, subnet } = await networkWithSubnet(token, '10.10.0.0/24');
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => neutron(token, 'POST', '/ports', { port: { network_id: network.id, name: `p${i}` } })),
      );
      for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(201);
      const ips = results.map((r) => r.body.port.fixed_ips[0].ip_address as string);
      expect(new Set(ips).size).toBe(100);
      for (const r of results) expect(r.body.port.fixed_ips[0].subnet_id).toBe(subnet.id);
      // No gaps and nothing outside the pool: exactly .2 to .101 (the gateway .1 is never handed out).
      expect([...ips].sort(byAddress)).toEqual(Array.from({ length: 100 }, (_, i) => `10.10.0.${i + 2}`));
      expect(new Set(results.map((r) => r.body.port.mac_address)).size).toBe(100);

      const listed = (await neutron(token, 'GET', `/ports?network_id=${network.id}`)).body.ports;
      expect(listed).toHaveLength(100);
      expect(new Set(listed.map((p: { fixed_ips: { ip_address: string }[] }) => p.fixed_ips[0]!.ip_address))).toEqual(new Set(ips));
    },
    LOAD_TIMEOUT_MS,
  );

  it('parallel requests for the same address: exactly one wins, the others get 409', async () => {
    const token = await tokenFor(await newAccount('ports-race'));
    const { network } = await networkWithSubnet(token, '10.11.0.0/24');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        neutron(token, 'POST', '/ports', { port: { network_id: network.id, fixed_ips: [{ ip_address: '10.11.0.9' }] } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.NeutronError.type).toBe('IpAddressAlreadyAllocated');
    expect(await listIds(token, '/ports')).toHaveLength(1);
  });
});

describe('floating IPs', () => {
  it(
    '200 parallel allocations across 20 tenants give 200 distinct addresses; releasing returns them to the pool',
    async () => {
      const tenants = await manyAccounts(20, 'fip-load');
      const operator = await operatorToken();
      await Promise.all(tenants.map((t) => setQuota(operator, t.account.projects[0]!.id, { floatingip: 20 })));
      const ext = await externalNetworkId(tenants[0]!.token);
      const heldBefore = (await pool().usage('eu-west-0')).held;

      const results = await Promise.all(
        tenants.flatMap((t) =>
          Array.from({ length: 10 }, async () => ({
            tenant: t,
            res: await neutron(t.token, 'POST', '/floatingips', { floatingip: { floating_network_id: ext } }),
          })),
        ),
      );
      for (const { res } of results) expect(res.status, JSON.stringify(res.body)).toBe(201);
      const addresses = results.map(({ res }) => res.body.floatingip.floating_ip_address as string);
      expect(new Set(addresses).size).toBe(200);
      for (const a of addresses) expect(inPublicPool(a), a).toBe(true);
      expect((await pool().usage('eu-west-0')).held).toBe(heldBefore + 200);

      // Each tenant sees its ten, and only its ten.
      for (const t of tenants) {
        const mine = results.filter((r) => r.tenant === t).map(({ res }) => res.body.floatingip.id);
        expect((await listIds(t.token, '/floatingips')).sort()).toEqual(mine.sort());
      }

      const released = await Promise.all(
        results.map(({ tenant, res }) => neutron(tenant.token, 'DELETE', `/floatingips/${res.body.floatingip.id}`)),
      );
      for (const r of released) expect(r.status).toBe(204);
      expect((await pool().usage('eu-west-0')).held).toBe(heldBefore);
      for (const t of tenants) expect(await listIds(t.token, '/floatingips')).toEqual([]);

      // The pool hands out its lowest free address: the 200 were the lowest free ones, so the freed ones come back first.
      const freed = [...addresses].sort(byAddress);
      const again = await neutron(tenants[3]!.token, 'POST', '/floatingips', { floatingip: { floating_network_id: ext } });
      expect(again.status).toBe(201);
      expect(again.body.floatingip.floating_ip_address).toBe(freed[0]);
      const more = await Promise.all(
        tenants.map((t) => neutron(t.token, 'POST', '/floatingips', { floatingip: { floating_network_id: ext } })),
      );
      expect(more.map((r) => r.body.floatingip.floating_ip_address).sort(byAddress)).toEqual(freed.slice(1, 21));
    },
    LOAD_TIMEOUT_MS,
  );

  it('a tenant at its quota gets 409 OverQuota under parallel load, never more than its quota', async () => {
    const [t] = await manyAccounts(1, 'fip-quota');
    const operator = await operatorToken();
    await setQuota(operator, t!.account.projects[0]!.id, { floatingip: 3 });
    const ext = await externalNetworkId(t!.token);
    const heldBefore = (await pool().usage('eu-west-0')).held;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => neutron(t!.token, 'POST', '/floatingips', { floatingip: { floating_network_id: ext } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.NeutronError.type).toBe('OverQuota');
    expect(await listIds(t!.token, '/floatingips')).toHaveLength(3);
    // The refused ones took nothing from the pool.
    expect((await pool().usage('eu-west-0')).held).toBe(heldBefore + 3);
  });
});
