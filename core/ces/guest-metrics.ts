/**
 * What a simulated guest's agent reports for one collection interval: its rates at the sample time and the bytes it
 * sent and received over the interval (the counters traffic billing reads). The rates hold for the whole interval,
 * so the bytes are the rate times its length: the counters and the charts always agree.
 */
import { type AppliedProfile, IDLE, levelAt } from './load-profile.ts';
import { type MetricPoint, systemPoint } from './metrics.ts';

export interface GuestSample {
  /** Epoch ms: the end of the interval, aligned to the collection period. */
  at: number;
  cpuUtil: number;
  memUtil: number;
  netOutRate: number;
  netInRate: number;
  diskReadRate: number;
  diskWriteRate: number;
  /** Bytes over the interval (integers: counters count whole bytes). */
  txBytes: number;
  rxBytes: number;
}

/** A rate as the agent reports it, to two decimals. */
export const round2 = (n: number) => Math.round(n * 100) / 100;

/** The guest's sample for the interval of `periodMs` that ends at `at`. */
export function sampleGuest(applied: AppliedProfile | null, at: number, periodMs: number): GuestSample {
  const profile = applied?.profile ?? IDLE;
  const level = levelAt(applied ?? { profile, appliedAt: 0 }, at);
  const share = level / 100;
  const netOutRate = (profile.network_out_bytes_rate ?? 0) * share;
  const netInRate = (profile.network_in_bytes_rate ?? 0) * share;
  const seconds = periodMs / 1000;
  return {
    at,
    cpuUtil: round2(level),
    memUtil: round2(Math.min(100, (profile.memory_base ?? 20) + 0.4 * level)),
    netOutRate: round2(netOutRate),
    netInRate: round2(netInRate),
    diskReadRate: round2((profile.disk_read_bytes_rate ?? 0) * share),
    diskWriteRate: round2((profile.disk_write_bytes_rate ?? 0) * share),
    txBytes: Math.round(netOutRate * seconds),
    rxBytes: Math.round(netInRate * seconds),
  };
}

/** The server's own metrics (SYS.ECS, dimension instance_id) from a sample. */
export function serverPoints(serverId: string, s: GuestSample): MetricPoint[] {
  const dims = [{ name: 'instance_id', value: serverId }];
  const ecs = (metric: string, value: number) => systemPoint('SYS.ECS', metric, dims, value, s.at);
  return [
    ecs('cpu_util', s.cpuUtil),
    ecs('mem_util', s.memUtil),
    ecs('disk_read_bytes_rate', s.diskReadRate),
    ecs('disk_write_bytes_rate', s.diskWriteRate),
    ecs('network_incoming_bytes_rate_inband', s.netInRate),
    ecs('network_outgoing_bytes_rate_inband', s.netOutRate),
  ];
}
