/**
 * The scheduler, as Nova's: filters keep the hosts that may take a request, then weighers order them, the first
 * weigher first, ties broken by host id so that a placement is deterministic. Pure: the zone's Durable Object
 * gives it the hosts with their usage and records the claim it answers.
 */
import { capacity } from './filters/capacity.ts';
import { enabledAlive } from './filters/enabled-alive.ts';
import { hostKind } from './filters/host-kind.ts';
import { serverGroup } from './filters/server-group.ts';
import { tenancy } from './filters/tenancy.ts';
import type { HostFilter, HostState, HostWeigher, Placement } from './request.ts';
import { softGroup } from './weighers/server-group.ts';
import { spread } from './weighers/spread.ts';

/** The filters, each a module of filters/: a host must pass all of them. */
export const FILTERS: HostFilter[] = [enabledAlive, hostKind, tenancy, capacity, serverGroup];
/** The weighers, each a module of weighers/, the first one deciding first. */
export const WEIGHERS: HostWeigher[] = [softGroup, spread];

/** The hosts that pass every filter, best first. */
export function rankHosts(hosts: HostState[], p: Placement): HostState[] {
  const candidates = hosts.filter((h) => FILTERS.every((f) => f(h, p)));
  const score = new Map(candidates.map((h) => [h.id, WEIGHERS.map((w) => w(h, p))]));
  return candidates.sort((a, b) => {
    const [sa, sb] = [score.get(a.id)!, score.get(b.id)!];
    for (let i = 0; i < WEIGHERS.length; i++) if (sa[i] !== sb[i]) return sb[i]! - sa[i]!;
    return a.id.localeCompare(b.id);
  });
}

/** The best host for the request, or null when none passes the filters. */
export function selectHost(hosts: HostState[], p: Placement): HostState | null {
  return rankHosts(hosts, p)[0] ?? null;
}
