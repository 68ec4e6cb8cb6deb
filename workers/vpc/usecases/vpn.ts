/**
 * VPN (Neutron VPNaaS): IKE and IPsec policies, VPN services on a VPC's router, endpoint groups and IPsec site
 * connections, the use cases behind `/v2.0/vpn` and the Console. The defaults an object gets are decided here,
 * once for every door; references and in-use rules in the TenantDO.
 */
import type { Json, VpnKind, VpnObject } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';

/** The algorithms and versions a policy may name, for every door's validation and the Console's choices. */
export const VPN_CHOICES = {
  pfs: ['group1', 'group2', 'group5', 'group14', 'group15', 'group16', 'group19', 'group20', 'group21'],
  auth: ['sha1', 'sha256', 'sha384', 'sha512', 'md5'],
  encryption: ['3des', 'aes-128', 'aes-192', 'aes-256', 'aes-128-gcm-16', 'aes-256-gcm-16'],
  ikeVersion: ['v1', 'v2'],
  transform: ['esp', 'ah', 'ah-esp'],
} as const;

/** The attributes each kind gets when a request leaves them out (Neutron's defaults). */
const DEFAULTS: Record<VpnKind, Record<string, Json>> = {
  ikepolicy: {
    name: '',
    description: '',
    auth_algorithm: 'sha1',
    encryption_algorithm: 'aes-128',
    phase1_negotiation_mode: 'main',
    ike_version: 'v1',
    pfs: 'group5',
    lifetime: { units: 'seconds', value: 3600 },
  },
  ipsecpolicy: {
    name: '',
    description: '',
    transform_protocol: 'esp',
    auth_algorithm: 'sha1',
    encapsulation_mode: 'tunnel',
    encryption_algorithm: 'aes-128',
    pfs: 'group5',
    lifetime: { units: 'seconds', value: 3600 },
  },
  vpnservice: {
    name: '',
    description: '',
    admin_state_up: true,
    subnet_id: null,
    external_v4_ip: null,
    external_v6_ip: null,
    flavor_id: null,
  },
  endpoint_group: { name: '', description: '' },
  ipsec_site_connection: {
    name: '',
    description: '',
    local_id: '',
    peer_cidrs: [],
    local_ep_group_id: null,
    peer_ep_group_id: null,
    mtu: 1500,
    initiator: 'bi-directional',
    admin_state_up: true,
    route_mode: 'static',
    auth_mode: 'psk',
  },
};

/** The attributes to store: the kind's defaults, then the request's (owner fields are the caller's project). */
function attributesOf(kind: VpnKind, body: Record<string, unknown>): Record<string, Json> {
  const { tenant_id: _t, project_id: _p, ...rest } = body;
  const merged = { ...DEFAULTS[kind], ...rest } as Record<string, Json>;
  if (kind === 'ipsec_site_connection') {
    const dpd = (rest.dpd ?? {}) as Record<string, Json>;
    merged.dpd = { action: 'hold', interval: 30, timeout: 120, ...dpd };
    merged.peer_id = (rest.peer_id as string | undefined) ?? (rest.peer_address as string);
  }
  return merged;
}

/** The project's VPN objects of one kind. */
export async function listVpn(caller: Caller, kind: VpnKind): Promise<VpnObject[]> {
  const { vpn_objects } = await tenantOf(caller).list(['vpn_objects']);
  return vpn_objects.filter((o) => o.kind === kind);
}

/** Creates a VPN object of a kind with its defaults; services and connections settle from PENDING_CREATE to ACTIVE. */
export async function createVpn(caller: Caller, kind: VpnKind, attributes: Record<string, unknown>): Promise<VpnObject> {
  return unwrap(await tenantOf(caller).createVpnObject(kind, crypto.randomUUID(), attributesOf(kind, attributes)));
}

/** Changes a VPN object; a connection's dead peer detection is merged into what it has. */
export async function updateVpn(caller: Caller, kind: VpnKind, id: string, patch: Record<string, Json>): Promise<VpnObject> {
  if (kind === 'ipsec_site_connection' && patch.dpd) {
    const current = (await listVpn(caller, kind)).find((o) => o.id === id);
    patch.dpd = { ...(current?.attributes.dpd as Record<string, Json> | undefined), ...(patch.dpd as Record<string, Json>) } as Json;
  }
  return unwrap(await tenantOf(caller).updateVpnObject(kind, id, patch));
}

/** Deletes a VPN object no other one uses. */
export async function deleteVpn(caller: Caller, kind: VpnKind, id: string): Promise<void> {
  unwrap(await tenantOf(caller).deleteVpnObject(kind, id));
}
