/**
 * The scheduler's filters and weighers (durable/ecs/scheduler/), each alone and then composed: pure functions
 * over hosts and a claim request, tested without workerd.
 */
import { describe, expect, it } from 'vitest';
import { capacity } from '../../durable/ecs/scheduler/filters/capacity.ts';
import { enabledAlive } from '../../durable/ecs/scheduler/filters/enabled-alive.ts';
import { hostKind } from '../../durable/ecs/scheduler/filters/host-kind.ts';
import { serverGroup } from '../../durable/ecs/scheduler/filters/server-group.ts';
import { tenancy } from '../../durable/ecs/scheduler/filters/tenancy.ts';
import { type ClaimRequest, type HostState, NO_USAGE, type Placement } from '../../durable/ecs/scheduler/request.ts';
import { rankHosts, selectHost } from '../../durable/ecs/scheduler/scheduler.ts';
import { softGroup } from '../../durable/ecs/scheduler/weighers/server-group.ts';
import { spread } from '../../durable/ecs/scheduler/weighers/spread.ts';

const host = (id: string, patch: Partial<HostState> = {}): HostState => ({
  id,
  kind: 'general',
  vcpus: 8,
  ramMb: 16384,
  diskGb: 1000,
  cpuRatio: 1,
  ramRatio: 1,
  diskRatio: 1,
  enabled: true,
  alive: true,
  dedicatedProject: null,
  used: NO_USAGE,
  ...patch,
});

const request = (patch: Partial<ClaimRequest> = {}): ClaimRequest => ({
  serverId: 's1',
  projectId: 'p1',
  vcpus: 2,
  ramMb: 4096,
  diskGb: 0,
  baremetal: false,
  dedicated: false,
  ...patch,
});

const at = (req: Partial<ClaimRequest> = {}, groupHosts: string[] = []): Placement => ({
  req: request(req),
  groupHosts: new Set(groupHosts),
});

describe('filters', () => {
  it('enabled and alive: a disabled host, a dead one and one to avoid are out', () => {
    expect(enabledAlive(host('a'), at())).toBe(true);
    expect(enabledAlive(host('a', { enabled: false }), at())).toBe(false);
    expect(enabledAlive(host('a', { alive: false }), at())).toBe(false);
    expect(enabledAlive(host('a'), at({ avoid: ['a'] }))).toBe(false);
  });

  it('host kind: bare metal on bare-metal hosts only, the rest on general ones', () => {
    const metal = host('m', { kind: 'baremetal' });
    expect(hostKind(metal, at({ baremetal: true }))).toBe(true);
    expect(hostKind(host('g'), at({ baremetal: true }))).toBe(false);
    expect(hostKind(metal, at())).toBe(false);
    expect(hostKind(host('g'), at())).toBe(true);
  });

  it('tenancy: dedicated on its project hosts only; shared never on another project hosts; a named host alone', () => {
    const mine = host('d1', { dedicatedProject: 'p1' });
    const theirs = host('d2', { dedicatedProject: 'p2' });
    expect([host('s'), mine, theirs].map((h) => tenancy(h, at({ dedicated: true })))).toEqual([false, true, false]);
    expect([host('s'), mine, theirs].map((h) => tenancy(h, at()))).toEqual([true, true, false]);
    expect(tenancy(mine, at({ dedicated: true, hostId: 'd1' }))).toBe(true);
    expect(tenancy(host('d3', { dedicatedProject: 'p1' }), at({ dedicated: true, hostId: 'd1' }))).toBe(false);
  });

  it('capacity: vCPUs, RAM and disk within the overcommit ratios; a bare-metal host takes one server', () => {
    const full = { vcpus: 7, ramMb: 0, diskGb: 0, count: 1 };
    expect(capacity(host('a', { used: full }), at())).toBe(false);
    expect(capacity(host('a', { used: full, cpuRatio: 2 }), at())).toBe(true);
    expect(capacity(host('a', { used: { ...NO_USAGE, ramMb: 12289 } }), at())).toBe(false);
    expect(capacity(host('a', { used: { ...NO_USAGE, ramMb: 12288 } }), at())).toBe(true);
    expect(capacity(host('a', { diskGb: 10 }), at({ diskGb: 20 }))).toBe(false);
    expect(capacity(host('a', { diskGb: 10, diskRatio: 2 }), at({ diskGb: 20 }))).toBe(true);
    expect(capacity(host('m', { kind: 'baremetal' }), at({ vcpus: 1000 }))).toBe(true);
    expect(capacity(host('m', { kind: 'baremetal', used: { ...NO_USAGE, count: 1 } }), at())).toBe(false);
  });

  it('server group: affinity keeps its hosts (any for the first member); anti-affinity the others; soft ones pass', () => {
    const group = (policy: NonNullable<ClaimRequest['group']>['policy']) => ({ group: { id: 'g', policy } });
    expect(serverGroup(host('a'), at(group('affinity'), ['a']))).toBe(true);
    expect(serverGroup(host('b'), at(group('affinity'), ['a']))).toBe(false);
    expect(serverGroup(host('b'), at(group('affinity')))).toBe(true);
    expect(serverGroup(host('a'), at(group('anti-affinity'), ['a']))).toBe(false);
    expect(serverGroup(host('b'), at(group('anti-affinity'), ['a']))).toBe(true);
    expect(serverGroup(host('a'), at(group('soft-anti-affinity'), ['a']))).toBe(true);
    expect(serverGroup(host('a'), at())).toBe(true);
  });
});

describe('weighers', () => {
  it('spread prefers the most free RAM after overcommit; pack the least', () => {
    const roomy = host('a', { ramRatio: 1.5 });
    const busy = host('b', { used: { ...NO_USAGE, ramMb: 8192 } });
    expect(spread(roomy, at())).toBeGreaterThan(spread(busy, at()));
    expect(spread(roomy, at({ weigher: 'pack' }))).toBeLessThan(spread(busy, at({ weigher: 'pack' })));
  });

  it('soft policies prefer the group hosts (soft-affinity) or the others (soft-anti-affinity)', () => {
    const soft = (policy: 'soft-affinity' | 'soft-anti-affinity') => at({ group: { id: 'g', policy } }, ['a']);
    expect([softGroup(host('a'), soft('soft-affinity')), softGroup(host('b'), soft('soft-affinity'))]).toEqual([1, 0]);
    expect([softGroup(host('a'), soft('soft-anti-affinity')), softGroup(host('b'), soft('soft-anti-affinity'))]).toEqual([0, 1]);
    expect(softGroup(host('a'), at())).toBe(0);
  });
});

describe('the scheduler', () => {
  it('filters, then weighs: soft group policy first, then spread, then host id', () => {
    const hosts = [
      host('c'),
      host('b'),
      host('a', { used: { ...NO_USAGE, ramMb: 4096 } }),
      host('x', { enabled: false }),
      host('m', { kind: 'baremetal' }),
    ];
    expect(rankHosts(hosts, at()).map((h) => h.id)).toEqual(['b', 'c', 'a']);
    expect(rankHosts(hosts, at({ weigher: 'pack' })).map((h) => h.id)).toEqual(['a', 'b', 'c']);
    expect(selectHost(hosts, at({ group: { id: 'g', policy: 'soft-affinity' } }, ['a']))?.id).toBe('a');
    expect(selectHost(hosts, at({ baremetal: true }))?.id).toBe('m');
    expect(selectHost(hosts, at({ vcpus: 64 }))).toBeNull();
  });
});
