/**
 * What a server create may name in the caller's project, read once for a form that offers it (the Console's
 * wizard): the region's zones, the flavors, the images the project may boot, its VPCs with their subnets, its
 * security groups, key pairs and unbound EIPs, and the room its compute quota leaves. The rules that accept or
 * refuse a create stay in create.ts; this only lists the choices, by the same lookups.
 */
import { zonesOf } from '../../../core/regions.ts';
import type { ElasticIp, Keypair, Network, SecurityGroup, Subnet, Vpc } from '../../../schema/tenant.ts';
import { catalogueFlavors, type FlavorRow, type ImageRow } from '../../directory/catalogue.ts';
import { bootableImages } from '../../ims/usecases/images.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';

/** A native subnet as a create names it: its network's id, in its VPC. */
export interface OfferedSubnet {
  id: string;
  name: string;
  cidr: string;
  vpcId: string;
}

/** The compute quota's limits and usage (a negative limit is unlimited). */
export interface ComputeRoom {
  limits: { instances: number; cores: number; ram: number };
  usage: { instances: number; cores: number; ram: number };
}

/** Everything a create form offers the project. */
export interface CreateOffer {
  zones: string[];
  flavors: FlavorRow[];
  images: ImageRow[];
  vpcs: Vpc[];
  subnets: OfferedSubnet[];
  securityGroups: SecurityGroup[];
  keypairs: Keypair[];
  /** EIPs that an existing-EIP create may take: allocated and bound to nothing. */
  freeEips: ElasticIp[];
  quota: ComputeRoom;
}

/** The availability zones of the caller's region, where its servers may be placed. */
export function availabilityZones(caller: Caller): string[] {
  return zonesOf(caller.region);
}

/** Whether an EIP may be given to a new server (the rule the TenantDO checks when a create names one). */
export const isFreeEip = (e: ElasticIp) => e.status === 'DOWN' && !e.portId;

/** The project's key pairs. */
export async function listKeypairs(caller: Caller): Promise<Keypair[]> {
  return (await tenantOf(caller).list(['keypairs'])).keypairs;
}

/** A native subnet of the caller's project by id (its network's), with its VPC; null when it has none such. */
export async function offeredSubnet(caller: Caller, id: string): Promise<OfferedSubnet | null> {
  const rows = await tenantOf(caller).list(['networks', 'subnets']);
  return subnetsOf(rows).find((s) => s.id === id) ?? null;
}

/** The native subnets among a project's networks: a network in a VPC, with its one subnet's CIDR. */
function subnetsOf(rows: { networks: Network[]; subnets: Subnet[] }): OfferedSubnet[] {
  return rows.networks.flatMap((n) => {
    const sub = rows.subnets.find((s) => s.networkId === n.id);
    return n.vpcId && sub ? [{ id: n.id, name: n.name, cidr: sub.cidr, vpcId: n.vpcId }] : [];
  });
}

/** What a create form offers the caller's project, in one read of the project and the catalogue. */
export async function createOffer(caller: Caller): Promise<CreateOffer> {
  const t = tenantOf(caller);
  const [flavors, images, rows, quota] = await Promise.all([
    catalogueFlavors(caller.env),
    bootableImages(caller.env, caller.projectId),
    t.list(['vpcs', 'networks', 'subnets', 'security_groups', 'keypairs', 'elastic_ips']),
    t.computeQuotas(),
  ]);
  const { limits, usage } = unwrap(quota);
  return {
    zones: availabilityZones(caller),
    flavors,
    images,
    vpcs: rows.vpcs,
    subnets: subnetsOf(rows),
    securityGroups: rows.security_groups,
    keypairs: rows.keypairs,
    freeEips: rows.elastic_ips.filter((e) => isFreeEip(e) && e.region === caller.region),
    quota: {
      limits: { instances: limits.instances, cores: limits.cores, ram: limits.ram },
      usage: { instances: usage.instances, cores: usage.cores, ram: usage.ram },
    },
  };
}
