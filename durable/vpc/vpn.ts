/**
 * VPNaaS, one project's side: IKE and IPsec policies, VPN services on a router, endpoint groups, and IPsec
 * site connections to a (simulated) peer. The API layer checks each attribute's form; these rules check what
 * they refer to, what may be deleted, and how a connection fits its service.
 */
import { eq } from 'drizzle-orm';
import { overlaps, parseCidr } from '../../core/ipv4.ts';
import { conflict, inUse, invalid, notFound } from '../../core/result.ts';
import { type Json, networks, subnets, type VpnKind, vpnObjects } from '../../schema/tenant.ts';
import type { Ctx } from './context.ts';
import { subnet, vpc } from './lookups.ts';
import { startHeld, stopHeld } from './usage.ts';

type Attrs = Record<string, Json>;

const LABEL: Record<VpnKind, string> = {
  ikepolicy: 'IKEPolicy',
  ipsecpolicy: 'IPsecPolicy',
  vpnservice: 'VPNService',
  endpoint_group: 'VPNEndpointGroup',
  ipsec_site_connection: 'IPsecSiteConnection',
};

/** A VPN object of a kind, or 404. */
export function vpnObject(ctx: Ctx, kind: VpnKind, id: string) {
  const row = ctx.db.select().from(vpnObjects).where(eq(vpnObjects.id, id)).get();
  if (!row || row.kind !== kind) throw notFound(LABEL[kind], id);
  return row;
}

function endpointGroup(ctx: Ctx, id: string, type: 'subnet' | 'cidr') {
  const g = vpnObject(ctx, 'endpoint_group', id);
  if (g.attributes.type !== type)
    throw invalid(`Endpoint group ${id} is of type ${g.attributes.type}; a ${type} group is needed here.`, 'InvalidEndpointGroup');
  return g.attributes.endpoints as string[];
}

/** The local subnets' CIDRs a connection protects: its service's subnet, or its local endpoint group's subnets. */
function localCidrs(ctx: Ctx, service: Attrs, a: Attrs): string[] {
  const ids = service.subnet_id ? [service.subnet_id as string] : endpointGroup(ctx, a.local_ep_group_id as string, 'subnet');
  return ids.map((id) => subnet(ctx, id).cidr);
}

function checkConnection(ctx: Ctx, a: Attrs): string[] {
  const service = vpnObject(ctx, 'vpnservice', a.vpnservice_id as string).attributes;
  vpnObject(ctx, 'ikepolicy', a.ikepolicy_id as string);
  vpnObject(ctx, 'ipsecpolicy', a.ipsecpolicy_id as string);
  const withGroups = Boolean(a.local_ep_group_id || a.peer_ep_group_id);
  const peerCidrs = (a.peer_cidrs as string[] | undefined) ?? [];
  if (service.subnet_id) {
    if (withGroups)
      throw invalid('A VPN service with a subnet takes peer_cidrs, not endpoint groups.', 'SubnetInVPNServiceAndEndpointGroups');
    if (!peerCidrs.length) throw invalid('peer_cidrs is required when the VPN service has a subnet.', 'MissingPeerCidrs');
  } else {
    if (!a.local_ep_group_id || !a.peer_ep_group_id)
      throw invalid(
        'Both local_ep_group_id and peer_ep_group_id are required when the VPN service has no subnet.',
        'MissingEndpointGroups',
      );
    if (peerCidrs.length)
      throw invalid('Use the peer endpoint group, not peer_cidrs, when the VPN service has no subnet.', 'PeerCidrsAndEndpointGroups');
  }
  const peer = withGroups ? endpointGroup(ctx, a.peer_ep_group_id as string, 'cidr') : peerCidrs;
  for (const local of localCidrs(ctx, service, a)) {
    const clash = peer.find((p) => overlaps(parseCidr(p)!, parseCidr(local)!));
    if (clash) throw invalid(`The peer CIDR ${clash} overlaps the local subnet ${local}.`, 'InvalidPeerCidrs');
  }
  const dpd = a.dpd as { interval: number; timeout: number } | undefined | null;
  if (dpd && dpd.timeout <= dpd.interval)
    throw invalid('The DPD timeout must be greater than its interval.', 'IPsecSiteConnectionDpdIntervalValueError');
  return [a.vpnservice_id, a.ikepolicy_id, a.ipsecpolicy_id, a.local_ep_group_id, a.peer_ep_group_id].filter(
    (x): x is string => typeof x === 'string' && x !== '',
  );
}

function checkService(ctx: Ctx, a: Attrs): string[] {
  const router = vpc(ctx, a.router_id as string);
  if (!router.gateway)
    throw invalid(`Router ${router.id} has no external gateway: set one before adding a VPN service.`, 'RouterIsNotExternal');
  if (a.subnet_id) {
    const s = subnet(ctx, a.subnet_id as string);
    const net = ctx.db.select().from(networks).where(eq(networks.id, s.networkId)).get();
    if (net?.vpcId !== router.id) throw invalid(`Subnet ${s.id} is not attached to router ${router.id}.`, 'SubnetIsNotConnectedToRouter');
  }
  return [router.id];
}

function checkEndpointGroup(ctx: Ctx, a: Attrs): string[] {
  const endpoints = a.endpoints as string[];
  if (a.type === 'subnet') {
    for (const id of endpoints)
      if (!ctx.db.select({ id: subnets.id }).from(subnets).where(eq(subnets.id, id)).get()) throw notFound('Subnet', id);
    return [];
  }
  for (const e of endpoints) if (!parseCidr(e)) throw invalid(`Invalid CIDR endpoint ${e}.`, 'InvalidEndpointInEndpointGroup');
  return [];
}

/** What an object refers to, after checking every reference and rule of its kind. */
function references(ctx: Ctx, kind: VpnKind, a: Attrs): string[] {
  if (kind === 'vpnservice') return checkService(ctx, a);
  if (kind === 'endpoint_group') return checkEndpointGroup(ctx, a);
  if (kind === 'ipsec_site_connection') return checkConnection(ctx, a);
  return [];
}

const TRANSITIONAL: VpnKind[] = ['vpnservice', 'ipsec_site_connection'];

/** Creates a VPN object; services and connections start PENDING_CREATE and the alarm makes them ACTIVE. */
export function createVpnObject(ctx: Ctx, kind: VpnKind, id: string, attributes: Attrs) {
  const refs = references(ctx, kind, attributes);
  const row = {
    id,
    kind,
    name: String(attributes.name ?? ''),
    status: TRANSITIONAL.includes(kind) ? 'PENDING_CREATE' : null,
    attributes,
    refs,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(vpnObjects).values(row).run();
  // A connection is charged while it exists (clause 1.2.3.21); policies, services and groups are free.
  if (kind === 'ipsec_site_connection') startHeld(ctx, 'vpc.vpn', id, 1, {});
  return row;
}

/** Updates a VPN object; the whole object is checked again as it would then be. */
export function updateVpnObject(ctx: Ctx, kind: VpnKind, id: string, patch: Attrs) {
  const current = vpnObject(ctx, kind, id);
  if (kind === 'endpoint_group' && (patch.type !== undefined || patch.endpoints !== undefined)) {
    throw invalid('The type and endpoints of an endpoint group cannot be changed.', 'BadRequest');
  }
  if (kind === 'vpnservice' && (patch.router_id !== undefined || patch.subnet_id !== undefined)) {
    throw invalid('The router and subnet of a VPN service cannot be changed.', 'BadRequest');
  }
  const attributes = { ...current.attributes, ...patch };
  const refs = references(ctx, kind, attributes);
  ctx.db
    .update(vpnObjects)
    .set({ attributes, refs, name: String(attributes.name ?? ''), updatedAt: ctx.now })
    .where(eq(vpnObjects.id, id))
    .run();
  return vpnObject(ctx, kind, id);
}

/** Deletes a VPN object that nothing refers to. */
export function deleteVpnObject(ctx: Ctx, kind: VpnKind, id: string): void {
  vpnObject(ctx, kind, id);
  const user = ctx.db
    .select()
    .from(vpnObjects)
    .all()
    .find((o) => o.refs.includes(id));
  if (user) throw inUse(LABEL[kind], `${LABEL[kind]} ${id} is in use by ${LABEL[user.kind]} ${user.id}.`);
  ctx.db.delete(vpnObjects).where(eq(vpnObjects.id, id)).run();
  if (kind === 'ipsec_site_connection') stopHeld(ctx, 'vpc.vpn', id);
}

/** Refuses removing a router, subnet or gateway a VPN service stands on. */
export function requireNoVpnOn(ctx: Ctx, id: string): void {
  const user = ctx.db
    .select()
    .from(vpnObjects)
    .all()
    .find((o) => o.refs.includes(id) || o.attributes.subnet_id === id);
  if (user) throw conflict('RouterInUseByVPNService', `${id} is used by ${LABEL[user.kind]} ${user.id}.`);
}
