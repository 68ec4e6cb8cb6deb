/** Messages of the compute queue: each names a step of the compute manager, keyed by project and server. */

export type ComputeMessage =
  | { kind: 'build'; projectId: string; serverId: string }
  | { kind: 'delete'; projectId: string; serverId: string }
  | { kind: 'power'; projectId: string; serverId: string; action: 'os-stop' | 'os-start' | 'reboot'; hard?: boolean }
  | { kind: 'release'; projectId: string; serverId: string; zone: string; hostId: string | null };
