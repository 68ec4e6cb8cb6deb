/**
 * What the scheduler works on: a claim request (what a server asks of its zone) and each candidate host with
 * what is already claimed on it, plus the hosts the request's server group already uses.
 */
import type { ZoneHost } from '../../../schema/zone.ts';

export interface ClaimRequest {
  serverId: string;
  projectId: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  /** A bare-metal flavor: a whole bare-metal host. */
  baremetal: boolean;
  /** `tenancy: dedicated`: only on this project's Dedicated Cloud hosts. */
  dedicated: boolean;
  /** Only this host (os:scheduler_hints dedicated_host_id, a Dedicated Cloud host of the project: `dedicated` is set too). */
  hostId?: string;
  group?: { id: string; policy: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity' };
  weigher?: 'spread' | 'pack';
  /** Hosts to avoid (a rebuild after a host failure). */
  avoid?: string[];
}

/** What is claimed on a host. */
export interface Usage {
  vcpus: number;
  ramMb: number;
  diskGb: number;
  count: number;
}

/** A host as the filters and weighers see it: its inventory and what is claimed on it. */
export interface HostState extends ZoneHost {
  used: Usage;
}

/** What a filter or weigher knows besides the host: the request, and the hosts its server group is on. */
export interface Placement {
  req: ClaimRequest;
  groupHosts: ReadonlySet<string>;
}

/** A filter keeps the hosts that may take the request. */
export type HostFilter = (host: HostState, p: Placement) => boolean;

/** A weigher scores a host; a higher score is preferred. Weighers are applied in order, the first one first. */
export type HostWeigher = (host: HostState, p: Placement) => number;

/** Nothing claimed. */
export const NO_USAGE: Usage = { vcpus: 0, ramMb: 0, diskGb: 0, count: 0 };
