/** Messages of the compute and recovery queues: each names a step, keyed by project and server. */

export type ComputeMessage =
  | { kind: 'build'; projectId: string; serverId: string }
  | { kind: 'delete'; projectId: string; serverId: string }
  | { kind: 'power'; projectId: string; serverId: string; action: 'os-stop' | 'os-start' | 'reboot'; hard?: boolean }
  | { kind: 'release'; projectId: string; serverId: string; zone: string; hostId: string | null }
  | { kind: 'resize'; projectId: string; serverId: string }
  | { kind: 'rebuild'; projectId: string; serverId: string }
  | {
      kind: 'resize-finish';
      projectId: string;
      serverId: string;
      zone: string;
      confirm: boolean;
      fromHost: string | null;
      toHost: string | null;
    };

/** A server whose host failed: rebuild it elsewhere in its zone (or put it in ERROR without auto-recovery). */
export interface RecoveryMessage {
  kind: 'recover';
  projectId: string;
  serverId: string;
  zone: string;
  failedHost: string;
}

/** The compute queue, typed by its messages (wrangler's generated types leave a producer's body unknown). */
export const computeQueue = (env: { COMPUTE_QUEUE: Queue }) => env.COMPUTE_QUEUE as Queue<ComputeMessage>;

/** The recovery queue, typed by its messages. */
export const recoveryQueue = (env: { RECOVERY_QUEUE: Queue }) => env.RECOVERY_QUEUE as Queue<RecoveryMessage>;
