/** Neutron v2.0 JSON shapes: views over the TenantDO's rows. */
import type { Bandwidth, ElasticIp, Network, Port, SecurityGroup, SecurityGroupRule, Subnet, Vpc } from '../../../schema/tenant.ts';
import { externalNetwork } from '../external.ts';

const common = (projectId: string, row: { createdAt: string; updatedAt: string }) => ({
  tenant_id: projectId,
  project_id: projectId,
  created_at: row.createdAt.replace(/\.\d{3}Z$/, 'Z'),
  updated_at: row.updatedAt.replace(/\.\d{3}Z$/, 'Z'),
  revision_number: 1,
  tags: [] as string[],
});

export function networkView(projectId: string, n: Network, subnetIds: string[], az: string[]) {
  return {
    id: n.id,
    name: n.name,
    description: n.description,
    admin_state_up: n.adminStateUp,
    status: 'ACTIVE',
    subnets: subnetIds,
    shared: false,
    mtu: n.mtu,
    'router:external': false,
    port_security_enabled: n.portSecurityEnabled,
    availability_zone_hints: [],
    availability_zones: az,
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    'provider:network_type': 'vxlan',
    is_default: false,
    ...common(projectId, n),
  };
}

/** The region's external network in Neutron's shape. */
export function externalNetworkView(region: string) {
  const ext = externalNetwork(region);
  return {
    id: ext.id,
    name: ext.name,
    description: 'Public network of the region: Elastic IPs come from here',
    admin_state_up: true,
    status: 'ACTIVE',
    subnets: ext.subnets.map((s) => s.id),
    shared: true,
    mtu: 1500,
    'router:external': true,
    port_security_enabled: false,
    availability_zone_hints: [],
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    'provider:network_type': 'flat',
    is_default: true,
    tenant_id: '',
    project_id: '',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    revision_number: 1,
    tags: [],
  };
}

/** The external network's subnets in Neutron's shape. */
export function externalSubnetViews(region: string) {
  const ext = externalNetwork(region);
  return ext.subnets.map((s) => ({
    id: s.id,
    name: `${ext.name}-subnet`,
    network_id: ext.id,
    cidr: s.cidr,
    ip_version: 4,
    gateway_ip: s.gatewayIp,
    enable_dhcp: false,
    dns_nameservers: [],
    allocation_pools: [s.pool],
    host_routes: [],
    description: '',
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    service_types: [],
    tenant_id: '',
    project_id: '',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    revision_number: 1,
    tags: [],
  }));
}

export function subnetView(projectId: string, s: Subnet) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    network_id: s.networkId,
    cidr: s.cidr,
    ip_version: s.ipVersion,
    gateway_ip: s.gatewayIp,
    enable_dhcp: s.enableDhcp,
    dns_nameservers: s.dnsNameservers,
    allocation_pools: s.allocationPools,
    host_routes: s.hostRoutes,
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    service_types: [],
    ...common(projectId, s),
  };
}

export function portView(projectId: string, p: Port) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    network_id: p.networkId,
    mac_address: p.macAddress,
    admin_state_up: p.adminStateUp,
    status: p.status,
    device_owner: p.deviceOwner,
    device_id: p.deviceId,
    fixed_ips: p.fixedIps,
    security_groups: p.securityGroups,
    allowed_address_pairs: p.allowedAddressPairs,
    port_security_enabled: p.portSecurityEnabled,
    extra_dhcp_opts: [],
    'binding:vnic_type': 'normal',
    'binding:host_id': '',
    'binding:vif_type': p.deviceId ? 'ovs' : 'unbound',
    'binding:vif_details': {},
    'binding:profile': {},
    dns_name: '',
    dns_assignment: [],
    ...common(projectId, p),
  };
}

export function routerView(projectId: string, v: Vpc, externalNetworkId: string) {
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    admin_state_up: v.adminStateUp,
    status: 'ACTIVE',
    external_gateway_info: v.gateway ? { network_id: externalNetworkId, enable_snat: v.gateway.enableSnat, external_fixed_ips: [] } : null,
    routes: v.routes,
    distributed: false,
    ha: false,
    availability_zone_hints: [],
    availability_zones: ['nova'],
    ...common(projectId, v),
  };
}

export function ruleView(projectId: string, r: SecurityGroupRule) {
  return {
    id: r.id,
    security_group_id: r.securityGroupId,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol,
    port_range_min: r.portRangeMin,
    port_range_max: r.portRangeMax,
    remote_ip_prefix: r.remoteIpPrefix,
    remote_group_id: r.remoteGroupId,
    remote_address_group_id: null,
    normalized_cidr: r.remoteIpPrefix,
    description: r.description,
    ...common(projectId, r),
  };
}

export function securityGroupView(projectId: string, g: SecurityGroup, rules: SecurityGroupRule[]) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    stateful: true,
    shared: false,
    security_group_rules: rules.filter((r) => r.securityGroupId === g.id).map((r) => ruleView(projectId, r)),
    ...common(projectId, g),
  };
}

export function floatingIpView(projectId: string, e: ElasticIp, externalNetworkId: string, routerId: string | null, b?: Bandwidth) {
  return {
    id: e.id,
    floating_ip_address: e.address,
    floating_network_id: externalNetworkId,
    router_id: e.portId ? routerId : null,
    port_id: e.portId,
    fixed_ip_address: e.fixedIpAddress,
    status: e.status === 'PENDING_DELETE' ? 'DOWN' : e.status,
    description: e.description,
    dns_domain: '',
    dns_name: '',
    port_forwardings: [],
    qos_policy_id: null,
    bandwidth: b ? { id: b.id, size: b.size, share_type: b.shareType } : undefined,
    ...common(projectId, e),
  };
}

// A row with only its timestamps: enough for a view to show which attributes it has.
const blank = { createdAt: '', updatedAt: '' };

/** Every attribute of each collection's items, so filters and sort keys are checked even when a list is empty. */
export const ATTRIBUTES: Record<string, string[]> = {
  networks: Object.keys(networkView('', blank as Network, [], [])),
  subnets: Object.keys(subnetView('', blank as Subnet)),
  ports: Object.keys(portView('', blank as Port)),
  routers: Object.keys(routerView('', blank as Vpc, '')),
  security_groups: Object.keys(securityGroupView('', blank as SecurityGroup, [])),
  security_group_rules: Object.keys(ruleView('', blank as SecurityGroupRule)),
  floatingips: Object.keys(floatingIpView('', blank as ElasticIp, '', null)),
};
