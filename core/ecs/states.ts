/**
 * A server's states, as Nova names them: the API's `status`, the `vm_state` it derives from, and the `task_state`
 * of the operation in progress (null when none). Every transition in durable/ecs and every check in
 * workers/ecs names them through these constants, so a misspelt state is a type error, not a silent mismatch.
 */

/** The API's `status` of a server. */
export const STATUS = {
  ACTIVE: 'ACTIVE',
  BUILD: 'BUILD',
  ERROR: 'ERROR',
  SHUTOFF: 'SHUTOFF',
  REBOOT: 'REBOOT',
  HARD_REBOOT: 'HARD_REBOOT',
  RESIZE: 'RESIZE',
  VERIFY_RESIZE: 'VERIFY_RESIZE',
  REBUILD: 'REBUILD',
  MIGRATING: 'MIGRATING',
  /** Paused (frozen in memory) and suspended (saved to disk) guests; the TenantDO alone changes them. */
  PAUSED: 'PAUSED',
  SUSPENDED: 'SUSPENDED',
  /** Shown only by a deleted server's last view (and a native job's target). */
  DELETED: 'DELETED',
} as const;
export type ServerStatus = (typeof STATUS)[keyof typeof STATUS];

/** Nova's `vm_state`: what the instance is, whatever is being done to it. */
export const VM_STATE = {
  BUILDING: 'building',
  ACTIVE: 'active',
  STOPPED: 'stopped',
  RESIZED: 'resized',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  ERROR: 'error',
} as const;
export type VmState = (typeof VM_STATE)[keyof typeof VM_STATE];

/** Nova's `task_state`: the operation in progress, driven by the compute manager through the queue. */
export const TASK = {
  /** Build: waiting for a host, then its ports, then the host's spawn. */
  SCHEDULING: 'scheduling',
  NETWORKING: 'networking',
  SPAWNING: 'spawning',
  DELETING: 'deleting',
  POWERING_OFF: 'powering-off',
  POWERING_ON: 'powering-on',
  REBOOTING: 'rebooting',
  REBOOTING_HARD: 'rebooting_hard',
  RESIZE_PREP: 'resize_prep',
  REBUILD_SPAWNING: 'rebuild_spawning',
  /** Recovery from a failed host. */
  REBUILDING: 'rebuilding',
} as const;
export type TaskState = (typeof TASK)[keyof typeof TASK];

/** Whether a row's state (a plain string in the schema) is one of the given ones. */
export function oneOf(state: string | null, states: readonly string[]): boolean {
  return state !== null && states.includes(state);
}
