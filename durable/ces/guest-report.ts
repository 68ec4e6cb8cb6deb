/**
 * The project's side of a host agent's report (inside the TenantDO): the guests' samples become the metrics that
 * need the project's records to be named (a volume by its attachment, an elastic IP by the port it is bound to),
 * and the bytes a guest sent through an elastic IP become outbound Internet traffic for billing (clause 1.2.3.23:
 * counted per server and EIP, inbound free), in the same transaction.
 *
 * Each traffic event is named by its EIP, server and the sample's time: a report delivered twice, or a sample a
 * recovered server's new host reports again, is counted once.
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { type GuestSample, round2 } from '../../core/ces/guest-metrics.ts';
import { type MetricPoint, systemPoint } from '../../core/ces/metrics.ts';
import { ATTACHMENT } from '../../core/evs/states.ts';
import { bandwidths, elasticIps, ports, volumeAttachments } from '../../schema/tenant.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { recordUsage } from '../lib/usage.ts';

export interface ReportedGuest {
  serverId: string;
  sample: GuestSample;
}

/** The EVS and VPC points of the samples, with the traffic recorded for billing. */
export function takeGuestReport(ctx: OpContext, guests: ReportedGuest[]): MetricPoint[] {
  if (guests.length === 0) return [];
  const serverIds = [...new Set(guests.map((g) => g.serverId))];
  const disks = ctx.db
    .select({ serverId: volumeAttachments.serverId, device: volumeAttachments.device })
    .from(volumeAttachments)
    .where(and(inArray(volumeAttachments.serverId, serverIds), eq(volumeAttachments.status, ATTACHMENT.ATTACHED)))
    .all();
  const bound = ctx.db
    .select({
      serverId: ports.deviceId,
      eipId: elasticIps.id,
      region: elasticIps.region,
      size: bandwidths.size,
      chargeMode: bandwidths.chargeMode,
    })
    .from(elasticIps)
    .innerJoin(ports, eq(ports.id, elasticIps.portId))
    .innerJoin(bandwidths, eq(bandwidths.id, elasticIps.bandwidthId))
    // An address still being allocated carries no traffic yet.
    .where(and(inArray(ports.deviceId, serverIds), isNotNull(elasticIps.address)))
    .all();
  const points: MetricPoint[] = [];
  for (const { serverId, sample } of guests) {
    const own = disks.filter((d) => d.serverId === serverId);
    // The guest's disk activity is spread evenly over its disks.
    for (const d of own) {
      const dims = [{ name: 'disk_name', value: `${serverId}-${d.device.replace('/dev/', '')}` }];
      points.push(
        systemPoint('SYS.EVS', 'disk_device_read_bytes_rate', dims, round2(sample.diskReadRate / own.length), sample.at),
        systemPoint('SYS.EVS', 'disk_device_write_bytes_rate', dims, round2(sample.diskWriteRate / own.length), sample.at),
      );
    }
    // A guest's traffic leaves through its first elastic IP (a server with none reaches no public address).
    const eip = bound.filter((b) => b.serverId === serverId).sort((a, b) => a.eipId.localeCompare(b.eipId))[0];
    if (!eip) continue;
    const dims = [{ name: 'publicip_id', value: eip.eipId }];
    const up = sample.netOutRate * 8;
    points.push(
      systemPoint('SYS.VPC', 'upstream_bandwidth', dims, round2(up), sample.at),
      systemPoint('SYS.VPC', 'downstream_bandwidth', dims, round2(sample.netInRate * 8), sample.at),
      systemPoint('SYS.VPC', 'upstream_bandwidth_usage', dims, round2((up / (eip.size * 1_000_000)) * 100), sample.at),
      systemPoint('SYS.VPC', 'up_stream', dims, sample.txBytes, sample.at),
      systemPoint('SYS.VPC', 'down_stream', dims, sample.rxBytes, sample.at),
    );
    if (sample.txBytes > 0) {
      recordUsage(ctx, {
        id: `${eip.eipId}:traffic:${serverId}:${sample.at}`,
        meter: 'vpc.traffic',
        resourceId: eip.eipId,
        action: 'once',
        quantity: sample.txBytes,
        at: new Date(sample.at).toISOString(),
        attributes: { server_id: serverId, charge_mode: eip.chargeMode, region: eip.region },
      });
    }
  }
  return points;
}
