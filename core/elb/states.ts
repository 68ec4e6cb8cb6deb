/**
 * Elastic Load Balance's vocabulary, shared by the API (validation, views) and the TenantDO (transitions): Octavia's
 * provisioning and operating statuses, and the protocols, algorithms and monitor types the shared LBaaS v2 API takes.
 */

/** Octavia's provisioning_status: who owns the object's next step. Only ACTIVE and ERROR are at rest. */
export const PROVISIONING = {
  ACTIVE: 'ACTIVE',
  PENDING_CREATE: 'PENDING_CREATE',
  PENDING_UPDATE: 'PENDING_UPDATE',
  PENDING_DELETE: 'PENDING_DELETE',
  ERROR: 'ERROR',
} as const;
export type ProvisioningStatus = (typeof PROVISIONING)[keyof typeof PROVISIONING];

/** Octavia's operating_status: what the data plane sees. */
export const OPERATING = {
  ONLINE: 'ONLINE',
  OFFLINE: 'OFFLINE',
  DEGRADED: 'DEGRADED',
  ERROR: 'ERROR',
  NO_MONITOR: 'NO_MONITOR',
} as const;
export type OperatingStatus = (typeof OPERATING)[keyof typeof OPERATING];

export const LISTENER_PROTOCOLS = ['TCP', 'UDP', 'HTTP', 'HTTPS', 'TERMINATED_HTTPS'] as const;
export type ListenerProtocol = (typeof LISTENER_PROTOCOLS)[number];
export const POOL_PROTOCOLS = ['TCP', 'UDP', 'HTTP', 'HTTPS', 'PROXY'] as const;
export const LB_ALGORITHMS = ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'] as const;
export type LbAlgorithm = (typeof LB_ALGORITHMS)[number];
export const PERSISTENCE_TYPES = ['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE'] as const;
export const MONITOR_TYPES = ['PING', 'TCP', 'HTTP', 'HTTPS', 'UDP-CONNECT'] as const;

/** A pool's session persistence, as Octavia shows it. */
export interface SessionPersistence {
  type: (typeof PERSISTENCE_TYPES)[number];
  cookie_name?: string | null;
  persistence_timeout?: number | null;
}

/** How long a pending object waits before its (simulated) amphora reports it done: Octavia's short provisioning delay. */
export const PROVISION_MS = 300;

/** The cookie the load balancer sets for HTTP_COOKIE persistence (the member it chose). */
export const PERSISTENCE_COOKIE = 'FE_ELB_MEMBER';
