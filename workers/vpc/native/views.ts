/** Flexible Engine native VPC v1 JSON shapes: views over the TenantDO's rows. */
import type { Bandwidth, ElasticIp, SecurityGroup, SecurityGroupRule, Subnet, Vpc } from '../../../schema/tenant.ts';

/** Flexible Engine projects have no enterprise projects of their own: everything is in the default one, "0". */
const ENTERPRISE_PROJECT = '0';

/** A VPC; one made as a Neutron router (ACTIVE at once) is simply OK. */
export function vpcView(v: Vpc) {
  return {
    id: v.id,
    name: v.name,
    cidr: v.cidr ?? '',
    status: v.status === 'ACTIVE' ? 'OK' : v.status,
    routes: v.routes,
    description: v.description,
    enterprise_project_id: ENTERPRISE_PROJECT,
  };
}

/** A native subnet: its id is its Neutron network's id, the one servers attach to. */
export function subnetView(s: Subnet, vpcId: string) {
  const dns = s.dnsNameservers;
  return {
    id: s.networkId,
    name: s.name,
    description: s.description,
    cidr: s.cidr,
    dnsList: dns,
    status: s.status,
    vpc_id: vpcId,
    gateway_ip: s.gatewayIp ?? '',
    dhcp_enable: s.enableDhcp,
    primary_dns: dns[0] ?? '',
    secondary_dns: dns[1] ?? '',
    availability_zone: s.availabilityZone ?? '',
    neutron_network_id: s.networkId,
    neutron_subnet_id: s.id,
  };
}

/** `2026-01-02T03:04:05.678Z` as the EIP API writes times: `2026-01-02 03:04:05` (UTC). */
const eipTime = (iso: string) => iso.slice(0, 19).replace('T', ' ');

/** A public IP (Elastic IP) with its bandwidth; `port_id` and `private_ip_address` are null while unbound. */
export function publicIpView(projectId: string, e: ElasticIp, b: Bandwidth | undefined) {
  return {
    id: e.id,
    status: e.status,
    type: e.type,
    public_ip_address: e.address ?? '',
    ip_version: 4,
    tenant_id: projectId,
    create_time: eipTime(e.createdAt),
    bandwidth_id: e.bandwidthId,
    bandwidth_size: b?.size ?? 0,
    bandwidth_share_type: b?.shareType ?? '',
    bandwidth_name: b?.name ?? '',
    port_id: e.portId,
    private_ip_address: e.fixedIpAddress,
  };
}

/** A bandwidth with the public IPs that use it. */
export function bandwidthView(projectId: string, b: Bandwidth, eips: ElasticIp[]) {
  return {
    id: b.id,
    name: b.name,
    size: b.size,
    share_type: b.shareType,
    charge_mode: b.chargeMode,
    bandwidth_type: 'bgp',
    publicip_info: eips
      .filter((e) => e.bandwidthId === b.id)
      .map((e) => ({ publicip_id: e.id, publicip_address: e.address ?? '', publicip_type: e.type, ip_version: 4 })),
    tenant_id: projectId,
  };
}

/** A security group rule. */
export function securityGroupRuleView(projectId: string, r: SecurityGroupRule) {
  return {
    id: r.id,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol,
    port_range_min: r.portRangeMin,
    port_range_max: r.portRangeMax,
    remote_ip_prefix: r.remoteIpPrefix,
    remote_group_id: r.remoteGroupId,
    security_group_id: r.securityGroupId,
    tenant_id: projectId,
    description: r.description,
  };
}

/** A security group with its rules (`rules` may hold every group's: only its own are shown). */
export function securityGroupView(projectId: string, g: SecurityGroup, rules: SecurityGroupRule[]) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    vpc_id: g.vpcId,
    enterprise_project_id: ENTERPRISE_PROJECT,
    security_group_rules: rules.filter((r) => r.securityGroupId === g.id).map((r) => securityGroupRuleView(projectId, r)),
  };
}
