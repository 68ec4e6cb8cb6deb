/**
 * Placement: server groups (anti-affinity spreads its members over hosts, affinity packs them on one), and
 * concurrent creates that fill a zone never overbook a host: the surplus ends in ERROR with a no-valid-host fault.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapAccounts, tokenFor } from '../fixtures.ts';
import { nova } from '../request.ts';
import { networkWithSubnet } from '../vpc/fixtures.ts';
import { boot, type ComputeProject, claimsOf, computeProject, imageId, waitFor, waitGone, zoneHosts } from './fixtures.ts';

async function group(p: ComputeProject, policy: string) {
  const res = await nova(p.token, p.project, 'POST', '/os-server-groups', { server_group: { name: `g-${policy}`, policies: [policy] } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.server_group.id as string;
}

/** Creates servers in a group at once, in one zone, and waits for each to leave BUILD. */
async function members(p: ComputeProject, groupId: string, zone: string, n: number) {
  const created = await Promise.all(
    Array.from({ length: n }, (_, i) => boot(p, { name: `m-${i}`, availability_zone: zone }, { 'os:scheduler_hints': { group: groupId } })),
  );
  return Promise.all(created.map((c) => waitFor(p, c.id, (s) => s.status !== 'BUILD')));
}

describe('server groups', () => {
  it('anti-affinity puts every member on its own host, and refuses one more than the zone has hosts', async () => {
    const p = await computeProject();
    const zone = 'eu-west-0a';
    const general = (await zoneHosts(zone)).filter((h) => h.kind === 'general');
    const g = await group(p, 'anti-affinity');
    const placed = await members(p, g, zone, general.length);
    expect(placed.map((s) => s.status)).toEqual(general.map(() => 'ACTIVE'));
    expect(new Set(placed.map((s) => s.hostId)).size).toBe(general.length);
    const hosts = await Promise.all(placed.map(async (s) => (await claimsOf(zone, s.id))[0]!.hostId));
    expect(new Set(hosts).size).toBe(general.length);

    // Every host already has a member: the next one finds no valid host.
    const [extra] = await members(p, g, zone, 1);
    expect(extra.status).toBe('ERROR');
    expect(extra.fault.message).toMatch(/No valid host/i);
    expect(await claimsOf(zone, extra.id)).toEqual([]);

    const shown = await nova(p.token, p.project, 'GET', `/os-server-groups/${g}`);
    expect(shown.body.server_group.members.sort()).toEqual([...placed.map((s) => s.id), extra.id].sort());

    // Deleting a member frees its host for the group.
    expect((await nova(p.token, p.project, 'DELETE', `/servers/${placed[0]!.id}`)).status).toBe(204);
    await waitGone(p, placed[0]!.id);
    expect(await claimsOf(zone, placed[0]!.id)).toEqual([]);
    const [again] = await members(p, g, zone, 1);
    expect(again.status).toBe('ACTIVE');
    expect(again.hostId).toBe(placed[0]!.hostId);
  });

  it('affinity puts every member on the same host', async () => {
    const p = await computeProject();
    const g = await group(p, 'affinity');
    const placed = await members(p, g, 'eu-west-0b', 4);
    expect(placed.map((s) => s.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(new Set(placed.map((s) => s.hostId)).size).toBe(1);
  });
});

describe('concurrent creates', () => {
  it('fill a zone without overbooking any host; the surplus ends in ERROR with a no-valid-host fault', { timeout: 90_000 }, async () => {
    const zone = 'eu-west-1b';
    const flavor = { name: 'c6.4xlarge.2', vcpus: 16, ramMb: 32768 };
    const hosts = (await zoneHosts(zone)).filter((h) => h.kind === 'general');
    const slots = hosts.reduce(
      (n, h) =>
        n +
        Math.min(
          Math.floor((h.vcpus * h.cpuRatio - h.used.vcpus) / flavor.vcpus),
          Math.floor((h.ramMb * h.ramRatio - h.used.ramMb) / flavor.ramMb),
        ),
      0,
    );
    expect(slots).toBe(32); // 4 hosts x min(256 / 16 vCPUs, 256 GiB / 32 GiB)
    // The default quota (80 cores, 160 GiB) fits 5 of these per project: 8 projects ask for 40.
    const perProject = 5;
    const stamp = `fill-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 6)}`;
    const accounts = await bootstrapAccounts(
      Array.from({ length: 8 }, (_, i) => ({ domain: `${stamp}-${i}`, user: `${stamp}-${i}-admin`, password: 'Secret-pass-123' })),
    );
    const projects: ComputeProject[] = await Promise.all(
      accounts.map(async (account) => {
        const p = account.projects.find((x) => x.name === 'eu-west-1')!;
        const token = await tokenFor(account, { scope: { project: { id: p.id } } });
        const { network, subnet } = await networkWithSubnet(token, '10.1.0.0/24');
        return { account, token, project: p.id, region: p.name, network, subnet };
      }),
    );
    const image = await imageId(projects[0]!.token);
    const requests = projects.flatMap((p) => Array.from({ length: perProject }, (_, i) => ({ p, name: `fill-${i}` })));
    const created = await Promise.all(
      requests.map(async ({ p, name }) => ({
        p,
        id: (await boot(p, { name, flavorRef: flavor.name, imageRef: image, availability_zone: zone })).id,
      })),
    );
    const done = await Promise.all(created.map(({ p, id }) => waitFor(p, id, (s) => s.status !== 'BUILD', 60_000)));

    const active = done.filter((s) => s.status === 'ACTIVE');
    const failed = done.filter((s) => s.status === 'ERROR');
    expect(active.length + failed.length).toBe(40);
    expect(active).toHaveLength(slots);
    for (const s of failed) {
      expect(s.fault).toMatchObject({ code: 500, message: expect.stringMatching(/No valid host/i) });
      expect(await claimsOf(zone, s.id)).toEqual([]);
    }
    // Every active server holds exactly one claim; no host is past its capacity.
    const perHost = new Map<string, number>();
    for (const s of active) {
      const claims = await claimsOf(zone, s.id);
      expect(claims).toHaveLength(1);
      perHost.set(claims[0]!.hostId, (perHost.get(claims[0]!.hostId) ?? 0) + 1);
    }
    const after = (await zoneHosts(zone)).filter((h) => h.kind === 'general');
    for (const h of after) {
      expect(h.used.vcpus, h.id).toBeLessThanOrEqual(h.vcpus * h.cpuRatio);
      expect(h.used.ramMb, h.id).toBeLessThanOrEqual(h.ramMb * h.ramRatio);
      expect(h.used.diskGb, h.id).toBeLessThanOrEqual(h.diskGb * h.diskRatio);
      expect(perHost.get(h.id), h.id).toBe(8);
      expect(h.used.count, h.id).toBe(8);
    }
  });
});
