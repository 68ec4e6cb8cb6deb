/**
 * Elastic Load Balance in the project's TenantDO: load balancers (their VIP port is a row of the project's network,
 * made in the same transaction), listeners, pools, members and health monitors. Each row carries its Octavia
 * provisioning and operating status; members also keep what the health monitor and the balancer have seen.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { OperatingStatus, ProvisioningStatus, SessionPersistence } from '../../core/elb/states.ts';

const common = {
  id: text('id').primaryKey(),
  name: text('name').notNull().default(''),
  description: text('description').notNull().default(''),
  adminStateUp: integer('admin_state_up', { mode: 'boolean' }).notNull().default(true),
  provisioningStatus: text('provisioning_status').$type<ProvisioningStatus>().notNull(),
  operatingStatus: text('operating_status').$type<OperatingStatus>().notNull(),
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
};

/** A load balancer: its VIP is the address of the port `vipPortId` on `vipSubnetId`. */
export const loadBalancers = sqliteTable('elb_loadbalancers', {
  ...common,
  vipAddress: text('vip_address').notNull(),
  vipPortId: text('vip_port_id').notNull(),
  vipSubnetId: text('vip_subnet_id').notNull(),
  vipNetworkId: text('vip_network_id').notNull(),
  provider: text('provider').notNull().default('vlb'),
  flavorId: text('flavor_id'),
  availabilityZone: text('availability_zone'),
});

export const listeners = sqliteTable(
  'elb_listeners',
  {
    ...common,
    loadbalancerId: text('loadbalancer_id').notNull(),
    protocol: text('protocol').notNull(),
    protocolPort: integer('protocol_port').notNull(),
    connectionLimit: integer('connection_limit').notNull().default(-1),
    defaultPoolId: text('default_pool_id'),
    defaultTlsContainerRef: text('default_tls_container_ref'),
    sniContainerRefs: text('sni_container_refs', { mode: 'json' }).$type<string[]>().notNull().default([]),
    insertHeaders: text('insert_headers', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [index('elb_listeners_lb').on(t.loadbalancerId)],
);

export const pools = sqliteTable(
  'elb_pools',
  {
    ...common,
    loadbalancerId: text('loadbalancer_id').notNull(),
    /** The listener it was created on (whose default pool it is), if any. */
    listenerId: text('listener_id'),
    protocol: text('protocol').notNull(),
    lbAlgorithm: text('lb_algorithm').notNull(),
    sessionPersistence: text('session_persistence', { mode: 'json' }).$type<SessionPersistence | null>(),
    /** How many requests round robin has handed out: the next one goes to position `cursor` of the rotation. */
    cursor: integer('cursor').notNull().default(0),
  },
  (t) => [index('elb_pools_lb').on(t.loadbalancerId)],
);

export const members = sqliteTable(
  'elb_members',
  {
    ...common,
    poolId: text('pool_id').notNull(),
    address: text('address').notNull(),
    protocolPort: integer('protocol_port').notNull(),
    weight: integer('weight').notNull().default(1),
    subnetId: text('subnet_id'),
    backup: integer('backup', { mode: 'boolean' }).notNull().default(false),
    monitorAddress: text('monitor_address'),
    monitorPort: integer('monitor_port'),
    /** Probes in a row that failed (towards max_retries_down) or passed (towards max_retries) since the last change. */
    failures: integer('failures').notNull().default(0),
    successes: integer('successes').notNull().default(0),
    /** Requests being forwarded now (LEAST_CONNECTIONS) and forwarded in all (its tie-break). */
    active: integer('active').notNull().default(0),
    served: integer('served').notNull().default(0),
  },
  (t) => [index('elb_members_pool').on(t.poolId)],
);

export const healthMonitors = sqliteTable('elb_healthmonitors', {
  ...common,
  poolId: text('pool_id').notNull().unique(),
  type: text('type').notNull(),
  delay: integer('delay').notNull(),
  timeout: integer('timeout').notNull(),
  maxRetries: integer('max_retries').notNull(),
  maxRetriesDown: integer('max_retries_down').notNull().default(3),
  httpMethod: text('http_method'),
  urlPath: text('url_path'),
  expectedCodes: text('expected_codes'),
  /** Epoch ms of the next probe round. */
  nextProbeAt: integer('next_probe_at').notNull().default(0),
});

export type LoadBalancer = typeof loadBalancers.$inferSelect;
export type Listener = typeof listeners.$inferSelect;
export type Pool = typeof pools.$inferSelect;
export type Member = typeof members.$inferSelect;
export type HealthMonitor = typeof healthMonitors.$inferSelect;
