/**
 * Elastic IPs and their bandwidths, the use cases behind Neutron's floating IPs, the native public IPs and the
 * Console: allocate from the region's pool (a saga the TenantDO drives), bind to a port, unbind, release.
 */
import type { BandwidthInput } from '../../../durable/vpc/eips.ts';
import type { Bandwidth, ElasticIp, Network, Port, Server } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';

/** The project's Elastic IPs with the rows their views need: bandwidths, and the ports and networks they sit on. */
export interface ProjectEips {
  eips: ElasticIp[];
  bandwidths: Bandwidth[];
  ports: Port[];
  networks: Network[];
}

/** What a door asks of a new Elastic IP. */
export interface EipRequest {
  type?: string;
  description?: string;
  bandwidth: BandwidthInput;
  /** A chosen address of the pool. */
  address?: string;
  /** A port to bind it to at once, optionally at one of its fixed IPs. */
  portId?: string;
  fixedIp?: string;
}

/** A server's NIC an Elastic IP can be bound to. */
export interface ServerNic {
  server: Server;
  port: Port;
}

/** The project's Elastic IPs and what their views need. */
export async function listEips(caller: Caller): Promise<ProjectEips> {
  const { elastic_ips, bandwidths, ports, networks } = await tenantOf(caller).list(['elastic_ips', 'bandwidths', 'ports', 'networks']);
  return { eips: elastic_ips, bandwidths, ports, networks };
}

/** One Elastic IP of the caller's project with its bandwidth; another project's is as missing. */
export async function eipById(caller: Caller, id: string): Promise<{ eip: ElasticIp; bandwidth: Bandwidth | undefined }> {
  const { eips, bandwidths } = await listEips(caller);
  const eip = eips.find((e) => e.id === id);
  if (!eip) throw notFound(`Elastic IP ${id} could not be found.`, 'FloatingIPNotFound');
  return { eip, bandwidth: bandwidths.find((b) => b.id === eip.bandwidthId) };
}

/** Allocates an Elastic IP with its bandwidth from the caller's region's pool (within the quotas); answers its id. */
export async function allocateEip(caller: Caller, req: EipRequest): Promise<string> {
  const id = crypto.randomUUID();
  const { address, portId, fixedIp, ...input } = req;
  unwrap(await tenantOf(caller).allocateEip({ id, region: caller.region, ...input }, caller.projectId, { address, portId, fixedIp }));
  return id;
}

/** Binds an Elastic IP to a port (at one of its fixed IPs if given); a null port unbinds it. */
export async function bindEip(caller: Caller, id: string, portId: string | null, fixedIp?: string): Promise<void> {
  unwrap(await tenantOf(caller).bindEip(id, portId, fixedIp));
}

/** Releases an Elastic IP: its address goes back to the pool, a dedicated bandwidth with it. */
export async function releaseEip(caller: Caller, id: string): Promise<void> {
  unwrap(await tenantOf(caller).releaseEip(id));
}

/** Renames or resizes a bandwidth. */
export async function updateBandwidth(caller: Caller, id: string, patch: { name?: string; size?: number }): Promise<void> {
  unwrap(await tenantOf(caller).updateBandwidth(id, patch));
}

/** The NICs of the project's servers, in server order: what a person binds an Elastic IP to. */
export async function serverNics(caller: Caller): Promise<ServerNic[]> {
  const { servers, ports } = await tenantOf(caller).list(['servers', 'ports']);
  return servers.flatMap((server) => ports.filter((p) => p.deviceId === server.id).map((port) => ({ server, port })));
}
