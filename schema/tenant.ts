/**
 * State of one project's TenantDO: its network (VPCs and routers, networks, subnets, ports and their addresses,
 * security groups, Elastic IPs and bandwidths), its servers, key pairs, server groups and jobs, and its quotas.
 * Block storage, private images and usage events are in schema/tenant/.
 */

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ServerStatus, TaskState, VmState } from '../core/ecs/states.ts';

const timestamps = {
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
};

export interface Route {
  destination: string;
  nexthop: string;
}

/** A VPC, which Neutron shows as a router: native VPCs have a CIDR, routers made through Neutron may not. */
export const vpcs = sqliteTable('vpcs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  cidr: text('cidr'),
  status: text('status').notNull(),
  adminStateUp: integer('admin_state_up', { mode: 'boolean' }).notNull().default(true),
  routes: text('routes', { mode: 'json' }).$type<Route[]>().notNull().default([]),
  /** External gateway: the public network and the SNAT address taken from the pool. */
  gateway: text('gateway', { mode: 'json' }).$type<{ networkId: string; enableSnat: boolean; ip?: string } | null>(),
  ...timestamps,
});

/** A network (a native subnet's `id` is its network's id, as in Flexible Engine). */
export const networks = sqliteTable('networks', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** The VPC it belongs to (native subnets), if any. */
  vpcId: text('vpc_id'),
  adminStateUp: integer('admin_state_up', { mode: 'boolean' }).notNull().default(true),
  mtu: integer('mtu').notNull().default(1500),
  portSecurityEnabled: integer('port_security_enabled', { mode: 'boolean' }).notNull().default(true),
  ...timestamps,
});

export interface AllocationPool {
  start: string;
  end: string;
}

export const subnets = sqliteTable(
  'subnets',
  {
    id: text('id').primaryKey(),
    networkId: text('network_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    cidr: text('cidr').notNull(),
    ipVersion: integer('ip_version').notNull().default(4),
    gatewayIp: text('gateway_ip'),
    enableDhcp: integer('enable_dhcp', { mode: 'boolean' }).notNull().default(true),
    dnsNameservers: text('dns_nameservers', { mode: 'json' }).$type<string[]>().notNull().default([]),
    allocationPools: text('allocation_pools', { mode: 'json' }).$type<AllocationPool[]>().notNull(),
    hostRoutes: text('host_routes', { mode: 'json' }).$type<Route[]>().notNull().default([]),
    availabilityZone: text('availability_zone'),
    /** Native status: UNKNOWN while being set up, then ACTIVE. */
    status: text('status').notNull(),
    ...timestamps,
  },
  (t) => [index('subnets_network').on(t.networkId)],
);

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export const ports = sqliteTable(
  'ports',
  {
    id: text('id').primaryKey(),
    networkId: text('network_id').notNull(),
    name: text('name').notNull().default(''),
    description: text('description').notNull().default(''),
    macAddress: text('mac_address').notNull().unique(),
    adminStateUp: integer('admin_state_up', { mode: 'boolean' }).notNull().default(true),
    status: text('status').notNull(),
    deviceOwner: text('device_owner').notNull().default(''),
    deviceId: text('device_id').notNull().default(''),
    fixedIps: text('fixed_ips', { mode: 'json' }).$type<FixedIp[]>().notNull(),
    securityGroups: text('security_groups', { mode: 'json' }).$type<string[]>().notNull(),
    allowedAddressPairs: text('allowed_address_pairs', { mode: 'json' })
      .$type<{ ip_address: string; mac_address: string }[]>()
      .notNull()
      .default([]),
    portSecurityEnabled: integer('port_security_enabled', { mode: 'boolean' }).notNull().default(true),
    ...timestamps,
  },
  (t) => [index('ports_network').on(t.networkId), index('ports_device').on(t.deviceId)],
);

/** One address of a subnet held by a port; the key makes an address impossible to hand out twice. */
export const ipAllocations = sqliteTable(
  'ip_allocations',
  {
    subnetId: text('subnet_id').notNull(),
    ip: integer('ip').notNull(),
    portId: text('port_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.subnetId, t.ip] }), index('ip_allocations_port').on(t.portId)],
);

export const securityGroups = sqliteTable('security_groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** Native API: the VPC it was created for, if given. */
  vpcId: text('vpc_id'),
  ...timestamps,
});

export const securityGroupRules = sqliteTable(
  'security_group_rules',
  {
    id: text('id').primaryKey(),
    securityGroupId: text('security_group_id').notNull(),
    direction: text('direction', { enum: ['ingress', 'egress'] }).notNull(),
    ethertype: text('ethertype', { enum: ['IPv4', 'IPv6'] }).notNull(),
    protocol: text('protocol'),
    portRangeMin: integer('port_range_min'),
    portRangeMax: integer('port_range_max'),
    remoteIpPrefix: text('remote_ip_prefix'),
    remoteGroupId: text('remote_group_id'),
    description: text('description').notNull().default(''),
    ...timestamps,
  },
  (t) => [index('security_group_rules_group').on(t.securityGroupId)],
);

/** An Elastic IP: an address held from the region's pool, bound to a port or not. */
export const elasticIps = sqliteTable(
  'elastic_ips',
  {
    id: text('id').primaryKey(),
    address: text('address'),
    type: text('type').notNull().default('5_bgp'),
    status: text('status').notNull(),
    portId: text('port_id'),
    fixedIpAddress: text('fixed_ip_address'),
    bandwidthId: text('bandwidth_id').notNull(),
    /** The region whose pool holds the address. */
    region: text('region').notNull(),
    description: text('description').notNull().default(''),
    ...timestamps,
  },
  (t) => [uniqueIndex('elastic_ips_port').on(t.portId)],
);

export const bandwidths = sqliteTable('bandwidths', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  size: integer('size').notNull(),
  shareType: text('share_type', { enum: ['PER', 'WHOLE'] }).notNull(),
  chargeMode: text('charge_mode', { enum: ['traffic', 'bandwidth'] }).notNull(),
  ...timestamps,
});

/** A project's limit for one kind of resource, when it differs from the default. */
export const quotas = sqliteTable('quotas', {
  resource: text('resource').primaryKey(),
  limit: integer('limit').notNull(),
});

export type Vpc = typeof vpcs.$inferSelect;
export type Network = typeof networks.$inferSelect;
export type Subnet = typeof subnets.$inferSelect;
export type Port = typeof ports.$inferSelect;
export type SecurityGroup = typeof securityGroups.$inferSelect;
export type SecurityGroupRule = typeof securityGroupRules.$inferSelect;
export type ElasticIp = typeof elasticIps.$inferSelect;
export type Bandwidth = typeof bandwidths.$inferSelect;

export interface PeeringSide {
  vpc_id: string;
  tenant_id: string;
}

/**
 * A VPC peering. The requesting project's TenantDO owns the record; the accepting project's keeps a link to it
 * (`role: 'accepter'`, a copy refreshed on every change) so that both can list, accept, reject and delete it.
 */
export const peerings = sqliteTable('peerings', {
  id: text('id').primaryKey(),
  role: text('role', { enum: ['requester', 'accepter'] }).notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  status: text('status').notNull(),
  requestVpc: text('request_vpc', { mode: 'json' }).$type<PeeringSide>().notNull(),
  acceptVpc: text('accept_vpc', { mode: 'json' }).$type<PeeringSide>().notNull(),
  ...timestamps,
});

/** A route of a VPC through a peering (Flexible Engine's `/v2.0/vpc/routes`, type `peering`). */
export const vpcRoutes = sqliteTable(
  'vpc_routes',
  {
    id: text('id').primaryKey(),
    vpcId: text('vpc_id').notNull(),
    type: text('type', { enum: ['peering'] }).notNull(),
    destination: text('destination').notNull(),
    nexthop: text('nexthop').notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('vpc_routes_destination').on(t.vpcId, t.destination)],
);

export type Peering = typeof peerings.$inferSelect;
export type VpcRoute = typeof vpcRoutes.$inferSelect;

/** An attribute value of a VPN object: a scalar, a list of scalars, or one level of object (lifetime, dpd). */
type Scalar = string | number | boolean | null;
export type Json = Scalar | Scalar[] | { [key: string]: Scalar };

/** Kinds of VPNaaS objects: policies, services, endpoint groups and site connections. */
export type VpnKind = 'ikepolicy' | 'ipsecpolicy' | 'vpnservice' | 'endpoint_group' | 'ipsec_site_connection';

/**
 * A VPNaaS object. Their attributes differ by kind and are only ever read whole, so each is kept as one JSON
 * document, validated by the VPN module before it is written; `refs` lists the ids it depends on (in-use checks).
 */
export const vpnObjects = sqliteTable(
  'vpn_objects',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<VpnKind>().notNull(),
    name: text('name').notNull().default(''),
    status: text('status'),
    attributes: text('attributes', { mode: 'json' }).$type<Record<string, Json>>().notNull(),
    refs: text('refs', { mode: 'json' }).$type<string[]>().notNull().default([]),
    ...timestamps,
  },
  (t) => [index('vpn_objects_kind').on(t.kind)],
);

export type VpnObject = typeof vpnObjects.$inferSelect;

export interface ServerNic {
  /** The Neutron network (a native subnet id) the server attaches to. */
  networkId: string;
  /** A port the user made, or one the build creates (then deleted with the server). */
  portId?: string;
  fixedIp?: string;
  subnetId?: string;
  /** The port was made by the user: deleting the server unbinds it instead of deleting it. */
  userPort?: boolean;
  /** The port was made for this server before it (native API, to carry its Elastic IP): it stays through a failed
   * build, with its Elastic IP, and goes when the server is deleted. */
  owned?: boolean;
}

/** Scheduler hints kept for every placement of the server (build, resize, recovery), not shown as metadata. */
export interface SchedulerHints {
  /** `dedicated`: only on this project's Dedicated Cloud hosts. */
  tenancy?: 'dedicated' | 'shared';
  /** Only this host. */
  dedicatedHostId?: string;
}

/** A resize in progress: the flavor and host it came from, and where it goes (until confirmed or reverted). */
export interface ServerResize {
  from: { flavorId: string; vcpus: number; ramMb: number; diskGb: number; hostId: string | null };
  to: { flavorId: string; vcpus: number; ramMb: number; diskGb: number; hostId: string | null };
}

export interface ServerFault {
  code: number;
  message: string;
  created: string;
}

/**
 * A server (ECS). `status` is what Nova shows; `vmState`/`taskState`/`powerState` are the extended states.
 * `request` keeps what the build needs, so that a redelivered build message finds everything it needs here.
 */
export const servers = sqliteTable(
  'servers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    status: text('status').$type<ServerStatus>().notNull(),
    vmState: text('vm_state').$type<VmState>().notNull(),
    taskState: text('task_state').$type<TaskState>(),
    powerState: integer('power_state').notNull().default(0),
    userId: text('user_id').notNull(),
    flavorId: text('flavor_id').notNull(),
    /** The flavor's size at creation (quotas count cores and RAM from here). */
    vcpus: integer('vcpus').notNull(),
    ramMb: integer('ram_mb').notNull(),
    diskGb: integer('disk_gb').notNull(),
    imageId: text('image_id').notNull(),
    zone: text('zone').notNull(),
    hostId: text('host_id'),
    keyName: text('key_name'),
    userData: text('user_data'),
    adminPass: text('admin_pass'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    nics: text('nics', { mode: 'json' }).$type<ServerNic[]>().notNull().default([]),
    securityGroups: text('security_groups', { mode: 'json' }).$type<string[]>().notNull().default([]),
    autoRecovery: integer('auto_recovery', { mode: 'boolean' }).notNull().default(true),
    serverGroupId: text('server_group_id'),
    fault: text('fault', { mode: 'json' }).$type<ServerFault | null>(),
    resize: text('resize', { mode: 'json' }).$type<ServerResize | null>(),
    hints: text('hints', { mode: 'json' }).$type<SchedulerHints>().notNull().default({}),
    buildAttempts: integer('build_attempts').notNull().default(0),
    launchedAt: text('launched_at'),
    /** Nova's display description (2.19); a server created before 2.19 got its name. */
    description: text('description'),
    /** Who holds the lock (`owner`, or `admin` for an operator's lock on another's server); null: unlocked. */
    lockedBy: text('locked_by', { enum: ['owner', 'admin'] }),
    /** Nova server tags (2.26), kept sorted; native `server_tags` are stored as `key=value`. */
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** The create request it came from (`r-xxxxxxxx`) and its index in it. */
    reservationId: text('reservation_id').notNull().default(''),
    launchIndex: integer('launch_index').notNull().default(0),
    /** The guest's host name, derived from the name at creation. */
    hostname: text('hostname').notNull().default(''),
    /** Nova's accessIPv4 / accessIPv6: addresses the user says reach the server, validated and kept ('' for none). */
    accessIpv4: text('access_ipv4').notNull().default(''),
    accessIpv6: text('access_ipv6').notNull().default(''),
    /** Nova's OS-DCF:diskConfig, as asked at create, rebuild, resize or update. */
    diskConfig: text('disk_config', { enum: ['AUTO', 'MANUAL'] })
      .notNull()
      .default('MANUAL'),
    ...timestamps,
  },
  (t) => [index('servers_status').on(t.status)],
);

export const keypairs = sqliteTable('keypairs', {
  name: text('name').primaryKey(),
  userId: text('user_id').notNull(),
  publicKey: text('public_key').notNull(),
  fingerprint: text('fingerprint').notNull(),
  type: text('type').notNull().default('ssh'),
  createdAt: text('created_at').notNull(),
});

export const serverGroups = sqliteTable('server_groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  policy: text('policy', { enum: ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'] }).notNull(),
  userId: text('user_id').notNull(),
  createdAt: text('created_at').notNull(),
});

export type Server = typeof servers.$inferSelect;
export type Keypair = typeof keypairs.$inferSelect;
export type ServerGroup = typeof serverGroups.$inferSelect;

/** What a job acts on: a resource, or a volume's attachment to a server. */
export type JobKind = 'server' | 'volume' | 'snapshot' | 'backup' | 'image' | 'attachment';

/**
 * What a native job waits for: each resource reaching a state (`DELETED`: gone). Server targets were recorded
 * before the other kinds existed, as `{serverId, until}`; the others name their kind; an attachment names its
 * volume (`id`) and its server.
 */
export type JobTarget =
  | { serverId: string; until: string }
  | { kind: Exclude<JobKind, 'server' | 'attachment'>; id: string; until: string }
  | { kind: 'attachment'; id: string; serverId: string; until: string };

/** How a sub-job ended, kept once its job has ended. */
export interface SubJobOutcome {
  status: 'SUCCESS' | 'FAIL';
  failReason: string | null;
  errorCode: string | null;
}

/**
 * A native API job (`/v1/{project_id}/jobs/{job_id}`): the asynchronous operation the native call started.
 * While it runs, its status is read from its resources' states, so it can never disagree with them; once every
 * sub-job has ended, their outcomes are kept, so that a resource deleted later does not turn a success into a failure.
 */
export const jobs = sqliteTable('jobs', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  targets: text('targets', { mode: 'json' }).$type<JobTarget[]>().notNull(),
  /** Sub-job ids, one per target. */
  subJobIds: text('sub_job_ids', { mode: 'json' }).$type<string[]>().notNull(),
  /** Set the first time the job is seen finished. */
  endedAt: text('ended_at'),
  /** Each sub-job's outcome, kept when the job ended (null before, and for jobs that ended before it was kept). */
  outcomes: text('outcomes', { mode: 'json' }).$type<SubJobOutcome[] | null>(),
  createdAt: text('created_at').notNull(),
});

export type Job = typeof jobs.$inferSelect;

/** What happened to a server, for `os-instance-actions`: creation, power actions, recovery after a host failure. */
export const serverEvents = sqliteTable(
  'server_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    serverId: text('server_id').notNull(),
    action: text('action').notNull(),
    requestId: text('request_id').notNull(),
    userId: text('user_id'),
    message: text('message'),
    at: text('at').notNull(),
  },
  (t) => [index('server_events_server').on(t.serverId)],
);

export type ServerEvent = typeof serverEvents.$inferSelect;

// Load balancing, block storage, images and usage events have their own files.
export * from './tenant/elb.ts';
export * from './tenant/evs.ts';
export * from './tenant/ims.ts';
export * from './tenant/usage.ts';
