/**
 * Octavia's LBaaS v2 views over the project's load balancing rows: each object with its parents and children by
 * id, and the status tree octaviaclient's `loadbalancer status show` reads. Built from one read of the rows.
 */
import type { Rows } from '../../durable/tenant.ts';
import type { HealthMonitor, Listener, LoadBalancer, Member, Pool } from '../../schema/tenant.ts';

/** Octavia's time format: seconds, no zone. */
export const octaviaTime = (iso: string) => iso.replace(/\.\d+Z$/, '').replace(/Z$/, '');

export type Graph = Pick<Rows, 'loadbalancers' | 'listeners' | 'pools' | 'members' | 'healthmonitors'>;

const ids = (rows: { id: string }[]) => rows.map((r) => ({ id: r.id }));

function base(projectId: string, r: LoadBalancer | Listener | Pool | Member | HealthMonitor) {
  return {
    id: r.id,
    name: r.name,
    provisioning_status: r.provisioningStatus,
    operating_status: r.operatingStatus,
    admin_state_up: r.adminStateUp,
    project_id: projectId,
    tenant_id: projectId,
    created_at: octaviaTime(r.createdAt),
    updated_at: r.updatedAt === r.createdAt ? null : octaviaTime(r.updatedAt),
    tags: r.tags,
  };
}

const loadBalancerView = (projectId: string, g: Graph, lb: LoadBalancer) => ({
  ...base(projectId, lb),
  description: lb.description,
  vip_address: lb.vipAddress,
  vip_port_id: lb.vipPortId,
  vip_subnet_id: lb.vipSubnetId,
  vip_network_id: lb.vipNetworkId,
  vip_qos_policy_id: null,
  listeners: ids(g.listeners.filter((l) => l.loadbalancerId === lb.id)),
  pools: ids(g.pools.filter((p) => p.loadbalancerId === lb.id)),
  provider: lb.provider,
  flavor_id: lb.flavorId,
  availability_zone: lb.availabilityZone,
  additional_vips: [],
});

/** A listener; the timeouts are Octavia's defaults (the local data plane has none to set). */
const listenerView = (projectId: string, l: Listener) => ({
  ...base(projectId, l),
  description: l.description,
  protocol: l.protocol,
  protocol_port: l.protocolPort,
  connection_limit: l.connectionLimit,
  default_pool_id: l.defaultPoolId,
  default_tls_container_ref: l.defaultTlsContainerRef,
  sni_container_refs: l.sniContainerRefs,
  insert_headers: l.insertHeaders,
  loadbalancers: [{ id: l.loadbalancerId }],
  l7policies: [],
  timeout_client_data: 50000,
  timeout_member_connect: 5000,
  timeout_member_data: 50000,
  timeout_tcp_inspect: 0,
  allowed_cidrs: null,
  client_ca_tls_container_ref: null,
  client_authentication: 'NONE',
});

const poolView = (projectId: string, g: Graph, p: Pool) => ({
  ...base(projectId, p),
  description: p.description,
  protocol: p.protocol,
  lb_algorithm: p.lbAlgorithm,
  session_persistence: p.sessionPersistence,
  loadbalancers: [{ id: p.loadbalancerId }],
  listeners: ids(g.listeners.filter((l) => l.defaultPoolId === p.id || p.listenerId === l.id)),
  members: ids(g.members.filter((m) => m.poolId === p.id)),
  healthmonitor_id: g.healthmonitors.find((h) => h.poolId === p.id)?.id ?? null,
  tls_enabled: false,
});

const memberView = (projectId: string, m: Member) => ({
  ...base(projectId, m),
  address: m.address,
  protocol_port: m.protocolPort,
  weight: m.weight,
  backup: m.backup,
  subnet_id: m.subnetId,
  monitor_address: m.monitorAddress,
  monitor_port: m.monitorPort,
});

const healthMonitorView = (projectId: string, h: HealthMonitor) => ({
  ...base(projectId, h),
  type: h.type,
  delay: h.delay,
  timeout: h.timeout,
  max_retries: h.maxRetries,
  max_retries_down: h.maxRetriesDown,
  http_method: h.httpMethod,
  url_path: h.urlPath,
  expected_codes: h.expectedCodes,
  pools: [{ id: h.poolId }],
  http_version: null,
  domain_name: null,
});

/** The views of one project's rows, each object with its parents and children by id. */
export function views(projectId: string, g: Graph) {
  return {
    loadBalancer: (lb: LoadBalancer) => loadBalancerView(projectId, g, lb),
    listener: (l: Listener) => listenerView(projectId, l),
    pool: (p: Pool) => poolView(projectId, g, p),
    member: (m: Member) => memberView(projectId, m),
    healthMonitor: (h: HealthMonitor) => healthMonitorView(projectId, h),
  };
}

const status = (r: { id: string; name: string; provisioningStatus: string; operatingStatus: string }) => ({
  id: r.id,
  name: r.name,
  provisioning_status: r.provisioningStatus,
  operating_status: r.operatingStatus,
});

/** The status tree of a load balancer: its listeners, their pools, each pool's monitor and members. */
export function statusTree(g: Graph, lb: LoadBalancer) {
  const poolTree = (p: Pool) => {
    const h = g.healthmonitors.find((x) => x.poolId === p.id);
    return {
      ...status(p),
      ...(h ? { health_monitor: { ...status(h), type: h.type } } : {}),
      members: g.members.filter((m) => m.poolId === p.id).map((m) => ({ ...status(m), address: m.address, protocol_port: m.protocolPort })),
    };
  };
  const pools = g.pools.filter((p) => p.loadbalancerId === lb.id);
  return {
    loadbalancer: {
      ...status(lb),
      listeners: g.listeners
        .filter((l) => l.loadbalancerId === lb.id)
        .map((l) => ({ ...status(l), pools: pools.filter((p) => l.defaultPoolId === p.id).map(poolTree) })),
      pools: pools.map(poolTree),
    },
  };
}
