/** Bindings of the control-plane Worker (wrangler.toml, secrets, and local-only service bindings). */
import type { BucketDO } from '../durable/bucket.ts';
import type { EipPoolDO } from '../durable/eip-pool.ts';
import type { HostDO } from '../durable/host.ts';
import type { TenantDO } from '../durable/tenant.ts';
import type { UserGuardDO } from '../durable/user-guard.ts';
import type { ZoneDO } from '../durable/zone.ts';
import type { ComputeMessage, RecoveryMessage } from './ecs/messages.ts';

export interface Env {
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Local only: the Node-side libSQL endpoint, reached without a port. */
  LIBSQL?: Fetcher;
  DEFAULT_REGION: string;
  TOKEN_TTL_SECONDS: string;
  /** JSON array of private JWKs (ES256, each with a `kid`), newest first: the first signs, all verify. */
  TOKEN_SIGNING_KEYS: string;
  /** Base64 AES-256-GCM key sealing AK/SK secrets at rest. */
  PLATFORM_KEY: string;
  /** Bearer token of the one-time bootstrap route (local start, deployment). */
  BOOTSTRAP_TOKEN?: string;
  USER_GUARD: DurableObjectNamespace<UserGuardDO>;
  TENANT: DurableObjectNamespace<TenantDO>;
  EIP_POOL: DurableObjectNamespace<EipPoolDO>;
  ZONE: DurableObjectNamespace<ZoneDO>;
  HOST: DurableObjectNamespace<HostDO>;
  /** Provisioning: builds, deletions and power actions of servers. */
  COMPUTE_QUEUE: Queue<ComputeMessage>;
  /** VM auto-recovery: servers of failed hosts, rebuilt elsewhere. */
  RECOVERY_QUEUE: Queue<RecoveryMessage>;
  /** How often host agents report, and how many missed reports declare a host failed. */
  HOST_HEARTBEAT_MS?: string;
  HOST_MISSED_HEARTBEATS?: string;
  /** OBS: each bucket's index (BucketDO) and the object bytes (R2). */
  BUCKET: DurableObjectNamespace<BucketDO>;
  OBS_DATA: R2Bucket;
  /** How long replaced bytes stay readable, and how long an upload may stream before it is presumed abandoned. */
  OBS_GARBAGE_GRACE_MS?: string;
  OBS_PENDING_TTL_MS?: string;
  /** The length of a lifecycle rule's day (tests shorten it). */
  OBS_LIFECYCLE_DAY_MS?: string;
}
