/**
 * Neutron's resource types: networks, subnets, routers and their interfaces, ports, security groups and rules,
 * floating IPs and their associations. Networks, subnets, ports and interfaces go to the TenantDO operations the
 * Neutron routes call; routers, groups, rules and floating IPs through the VPC use cases.
 */
import type { Network } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';
import { externalNetwork } from '../../vpc/external.ts';
import { allocateEip, bindEip, eipById, releaseEip } from '../../vpc/usecases/eips.ts';
import { addRule, createSecurityGroup, deleteSecurityGroup, listSecurityGroups, removeRule } from '../../vpc/usecases/security-groups.ts';
import { createVpc, deleteVpc } from '../../vpc/usecases/vpcs.ts';
import { gone, nameOf, type Plugin, str } from './plugin.ts';

/** A network of the project by id or name (the external network by either too). */
export async function networkId(caller: Caller, ref: string): Promise<string> {
  const ext = externalNetwork(caller.region);
  if (ref === ext.id || ref === ext.name) return ext.id;
  const { networks } = await tenantOf(caller).list(['networks']);
  const found = networks.find((n: Network) => n.id === ref) ?? networks.find((n: Network) => n.name === ref);
  if (!found) throw notFound(`Unable to find network with name or id '${ref}'`);
  return found.id;
}

/** A security group of the project by id or name. */
export async function securityGroupId(caller: Caller, ref: string): Promise<string> {
  const { groups } = await listSecurityGroups(caller);
  const found = groups.find((g) => g.id === ref) ?? groups.find((g) => g.name === ref);
  if (!found) throw notFound(`Unable to find security_group with name or id '${ref}'`);
  return found.id;
}

const byName = async (caller: Caller, kind: 'networks' | 'subnets' | 'ports', name: string) =>
  ((await tenantOf(caller).list([kind])) as unknown as Record<string, { id: string; name: string }[]>)[kind]!.find((x) => x.name === name)
    ?.id;

const net: Plugin = {
  actions: { create: 'vpc:networks:create', delete: 'vpc:networks:delete' },
  async create(caller, p, job) {
    const input = {
      id: crypto.randomUUID(),
      name: nameOf(p, job),
      adminStateUp: p.admin_state_up as boolean | undefined,
      portSecurityEnabled: p.port_security_enabled as boolean | undefined,
    };
    return { id: unwrap(await tenantOf(caller).createNetworks([input]))[0]!.id };
  },
  find: (caller, name) => byName(caller, 'networks', name),
  async attributes(caller, id) {
    const { networks, subnets } = await tenantOf(caller).list(['networks', 'subnets']);
    const n = networks.find((x) => x.id === id);
    return {
      name: n?.name,
      status: 'ACTIVE',
      admin_state_up: n?.adminStateUp,
      mtu: n?.mtu,
      subnets: subnets.filter((s) => s.networkId === id).map((s) => s.id),
      show: n,
    };
  },
  delete: (caller, id) => gone(async () => unwrap(await tenantOf(caller).deleteNetwork(id))),
};

const subnet: Plugin = {
  actions: { create: 'vpc:subnets:create', delete: 'vpc:subnets:delete' },
  async create(caller, p, job) {
    const input = {
      id: crypto.randomUUID(),
      networkId: await networkId(caller, String(p.network)),
      name: nameOf(p, job),
      cidr: String(p.cidr),
      gatewayIp: p.gateway_ip === undefined ? undefined : str(p.gateway_ip) || null,
      enableDhcp: p.enable_dhcp as boolean | undefined,
      dnsNameservers: p.dns_nameservers as string[] | undefined,
      allocationPools: p.allocation_pools as { start: string; end: string }[] | undefined,
      hostRoutes: p.host_routes as { destination: string; nexthop: string }[] | undefined,
    };
    return { id: unwrap(await tenantOf(caller).createSubnets([input]))[0]!.id };
  },
  find: (caller, name) => byName(caller, 'subnets', name),
  async attributes(caller, id) {
    const s = (await tenantOf(caller).list(['subnets'])).subnets.find((x) => x.id === id);
    return {
      name: s?.name,
      network_id: s?.networkId,
      cidr: s?.cidr,
      gateway_ip: s?.gatewayIp,
      allocation_pools: s?.allocationPools,
      ip_version: 4,
      show: s,
    };
  },
  delete: (caller, id) => gone(async () => unwrap(await tenantOf(caller).deleteSubnet(id))),
};

const router: Plugin = {
  actions: { create: 'vpc:routers:create', delete: 'vpc:routers:delete' },
  async create(caller, p, job) {
    const info = (p.external_gateway_info ?? null) as { network?: string; enable_snat?: boolean } | null;
    const gateway = info?.network ? { networkId: await networkId(caller, info.network), enableSnat: info.enable_snat ?? true } : null;
    if (gateway && gateway.networkId !== externalNetwork(caller.region).id)
      throw badRequest(`Network ${info?.network} is not a valid external network.`);
    const row = await createVpc(caller, { name: nameOf(p, job), adminStateUp: p.admin_state_up as boolean | undefined, gateway }, false);
    return { id: row.id };
  },
  async find(caller, name) {
    return (await tenantOf(caller).list(['vpcs'])).vpcs.find((v) => v.name === name)?.id;
  },
  async attributes(caller, id) {
    const v = (await tenantOf(caller).list(['vpcs'])).vpcs.find((x) => x.id === id);
    return {
      name: v?.name,
      status: 'ACTIVE',
      external_gateway_info: v?.gateway ? { network_id: v.gateway.networkId, enable_snat: v.gateway.enableSnat } : null,
      show: v,
    };
  },
  delete: (caller, id) => gone(() => deleteVpc(caller, id)),
};

/** An interface is named `router:subnet`, as Heat names it, so its removal needs nothing else. */
const routerInterface: Plugin = {
  actions: { create: 'vpc:routers:update', delete: 'vpc:routers:update' },
  async create(caller, p) {
    unwrap(await tenantOf(caller).addRouterInterface(String(p.router), String(p.subnet), crypto.randomUUID()));
    return { id: `${p.router}:subnet_id=${p.subnet}` };
  },
  async delete(caller, id) {
    const [routerId, subnet] = id.split(':subnet_id=');
    await gone(async () => unwrap(await tenantOf(caller).removeRouterInterface(routerId!, { subnetId: subnet })));
  },
};

const port: Plugin = {
  actions: { create: 'vpc:ports:create', delete: 'vpc:ports:delete' },
  async create(caller, p, job) {
    const groups = p.security_groups
      ? await Promise.all((p.security_groups as unknown[]).map((g) => securityGroupId(caller, String(g))))
      : undefined;
    const input = {
      id: crypto.randomUUID(),
      networkId: await networkId(caller, String(p.network)),
      name: nameOf(p, job),
      fixedIps: p.fixed_ips as never,
      securityGroups: groups,
    };
    return { id: unwrap(await tenantOf(caller).createPorts([input]))[0]!.id };
  },
  find: (caller, name) => byName(caller, 'ports', name),
  async attributes(caller, id) {
    const x = (await tenantOf(caller).list(['ports'])).ports.find((q) => q.id === id);
    return { name: x?.name, fixed_ips: x?.fixedIps, mac_address: x?.macAddress, network_id: x?.networkId, status: x?.status, show: x };
  },
  delete: (caller, id) => gone(async () => unwrap(await tenantOf(caller).deletePort(id))),
};

/** The rule input of a template's rule (SecurityGroupRule properties, or an entry of a group's `rules`). */
function ruleInput(groupId: string, r: Record<string, unknown>) {
  const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));
  return {
    securityGroupId: groupId,
    direction: (str(r.direction) ?? 'ingress') as 'ingress' | 'egress',
    ethertype: (str(r.ethertype) ?? 'IPv4') as 'IPv4' | 'IPv6',
    protocol: str(r.protocol) ?? null,
    portRangeMin: num(r.port_range_min),
    portRangeMax: num(r.port_range_max),
    remoteIpPrefix: str(r.remote_ip_prefix),
    remoteGroupId: str(r.remote_group ?? r.remote_group_id),
    description: str(r.description),
  };
}

const securityGroup: Plugin = {
  actions: { create: 'vpc:securityGroups:create', delete: 'vpc:securityGroups:delete' },
  async create(caller, p, job) {
    const { group } = await createSecurityGroup(caller, { name: nameOf(p, job), description: str(p.description) });
    for (const r of (p.rules ?? []) as Record<string, unknown>[]) await addRule(caller, ruleInput(group.id, r) as never);
    return { id: group.id };
  },
  async find(caller, name) {
    return (await listSecurityGroups(caller)).groups.find((g) => g.name === name)?.id;
  },
  async attributes(caller, id) {
    const { groups, rules } = await listSecurityGroups(caller);
    return { show: { ...groups.find((g) => g.id === id), rules: rules.filter((r) => r.securityGroupId === id) } };
  },
  delete: (caller, id) => gone(() => deleteSecurityGroup(caller, id)),
};

const securityGroupRule: Plugin = {
  actions: { create: 'vpc:securityGroups:update', delete: 'vpc:securityGroups:update' },
  async create(caller, p) {
    const row = await addRule(caller, ruleInput(await securityGroupId(caller, String(p.security_group)), p) as never);
    return { id: row.id };
  },
  delete: (caller, id) => gone(() => removeRule(caller, id)),
};

const floatingIp: Plugin = {
  actions: { create: 'eip:floatingips:create', delete: 'eip:floatingips:delete' },
  async create(caller, p) {
    const ext = await networkId(caller, String(p.floating_network));
    if (ext !== externalNetwork(caller.region).id) throw badRequest(`Network ${p.floating_network} is not a valid external network.`);
    const id = await allocateEip(caller, {
      bandwidth: { shareType: 'PER', size: 5, chargeMode: 'traffic' },
      portId: str(p.port_id),
      fixedIp: str(p.fixed_ip_address),
    });
    return { id };
  },
  async ready(caller, id) {
    const { eip } = await eipById(caller, id);
    if (eip.status === 'ERROR') return { failed: `Floating IP ${id} went to ERROR` };
    return eip.address ? 'ready' : 'pending';
  },
  async attributes(caller, id) {
    const { eip } = await eipById(caller, id);
    return {
      floating_ip_address: eip.address,
      fixed_ip_address: eip.fixedIpAddress,
      port_id: eip.portId,
      floating_network_id: externalNetwork(caller.region).id,
      show: eip,
    };
  },
  delete: (caller, id) => gone(() => releaseEip(caller, id)),
  async gone(caller, id) {
    try {
      await eipById(caller, id);
      return false;
    } catch {
      return true;
    }
  },
};

const floatingIpAssociation: Plugin = {
  actions: { create: 'eip:floatingips:update', delete: 'eip:floatingips:update' },
  async create(caller, p) {
    await bindEip(caller, String(p.floatingip_id), String(p.port_id), str(p.fixed_ip_address));
    return { id: String(p.floatingip_id) };
  },
  delete: (caller, id) => gone(() => bindEip(caller, id, null)),
};

export const NETWORK_PLUGINS: Record<string, Plugin> = {
  'OS::Neutron::Net': net,
  'OS::Neutron::Subnet': subnet,
  'OS::Neutron::Router': router,
  'OS::Neutron::RouterInterface': routerInterface,
  'OS::Neutron::Port': port,
  'OS::Neutron::SecurityGroup': securityGroup,
  'OS::Neutron::SecurityGroupRule': securityGroupRule,
  'OS::Neutron::FloatingIP': floatingIp,
  'OS::Neutron::FloatingIPAssociation': floatingIpAssociation,
};
