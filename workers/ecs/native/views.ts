/**
 * Flexible Engine native ECS v1 JSON shapes: a server (the Nova view of the same row, with the native addresses,
 * flavor, image and security groups) and a job with its sub-jobs.
 */
import { STATUS } from '../../../core/ecs/states.ts';
import type { JobView } from '../../../durable/ecs/jobs.ts';
import type { Port, Server } from '../../../schema/tenant.ts';
import { isoSeconds } from '../../lib/time.ts';
import { attachmentsOf, type ServerContext, serverView } from '../views.ts';

/** The VPC a server lives in: that of its primary NIC's network. */
function vpcOf(ctx: ServerContext, s: Server): string | null {
  const primary = s.nics[0];
  return (primary && ctx.networks.find((n) => n.id === primary.networkId)?.vpcId) ?? null;
}

/** One address of a port: a fixed one, or an Elastic IP bound to it. */
const address = (p: Port, addr: string, type: 'fixed' | 'floating') => ({
  version: '4',
  addr,
  'OS-EXT-IPS:type': type,
  'OS-EXT-IPS-MAC:mac_addr': p.macAddress,
  'OS-EXT-IPS:port_id': p.id,
});

/** The addresses of a server by VPC id (a network outside any VPC by its own id), fixed ones and their Elastic IPs. */
function nativeAddresses(ctx: ServerContext, s: Server) {
  const out: Record<string, ReturnType<typeof address>[]> = {};
  for (const p of ctx.ports.filter((x) => x.deviceId === s.id)) {
    const key = ctx.networks.find((n) => n.id === p.networkId)?.vpcId ?? p.networkId;
    out[key] ??= [];
    for (const f of p.fixedIps) out[key].push(address(p, f.ip_address, 'fixed'));
    for (const e of ctx.eips.filter((x) => x.portId === p.id && x.address)) out[key].push(address(p, e.address!, 'floating'));
  }
  return out;
}

/**
 * A server as `GET /v1/{project_id}/cloudservers/{id}` shows it (the flavor's sizes are strings, as the real API
 * writes them); its tags are the Nova tags, `key=value` for those its `server_tags` made.
 */
export function nativeServerView(ctx: ServerContext, s: Server) {
  const { links: _links, image: _image, flavor: _flavor, addresses: _addresses, security_groups: _groups, ...common } = serverView(ctx, s);
  const vpcId = vpcOf(ctx, s);
  return {
    ...common,
    description: s.description ?? '',
    metadata: { ...s.metadata, charging_mode: '0', ...(vpcId ? { vpc_id: vpcId } : {}) },
    addresses: nativeAddresses(ctx, s),
    flavor: { id: s.flavorId, name: s.flavorId, vcpus: String(s.vcpus), ram: String(s.ramMb), disk: String(s.diskGb) },
    image: { id: s.imageId },
    security_groups: s.securityGroups.map((id) => ({ name: ctx.groups.find((g) => g.id === id)?.name ?? id, id })),
    progress: s.status === STATUS.BUILD ? 0 : 100,
    fault: s.fault ? { code: s.fault.code, message: s.fault.message, created: isoSeconds(Date.parse(s.fault.created)) } : null,
    tags: s.tags,
    // Flexible Engine writes each as strings, the boot disk with bootIndex "0".
    'os-extended-volumes:volumes_attached': attachmentsOf(ctx, s).map((a) => ({
      id: a.volumeId,
      delete_on_termination: String(a.deleteOnTermination),
      ...(a.bootIndex !== null ? { bootIndex: String(a.bootIndex) } : {}),
      device: a.device,
    })),
    locked: s.lockedBy !== null,
    enterprise_project_id: '0',
    'os:scheduler_hints': {
      ...(s.serverGroupId ? { group: [s.serverGroupId] } : {}),
      ...(s.hints.tenancy ? { tenancy: [s.hints.tenancy] } : {}),
      ...(s.hints.dedicatedHostId ? { dedicated_host_id: [s.hints.dedicatedHostId] } : {}),
    },
  };
}

/** Each batch job's sub-jobs, one per server, are of the single-server kind. */
const SUB_JOB_TYPES: Record<string, string> = {
  createServer: 'createSingleServer',
  deleteServer: 'deleteSingleServer',
  batchStartServer: 'startSingleServer',
  batchStopServer: 'stopSingleServer',
  batchRebootServer: 'rebootSingleServer',
  attachVolume: 'attachSingleVolume',
  detachVolume: 'detachSingleVolume',
};

/**
 * A job as `GET /v1/{project_id}/jobs/{job_id}` shows it. Times are ISO 8601 with milliseconds, as the real API
 * writes them; a sub-job has no end of its own in the TenantDO, so it shows the job's once the job has ended.
 */
export function jobView(v: JobView) {
  const end = v.job.endedAt ?? '';
  return {
    status: v.status,
    entities: {
      sub_jobs_total: v.subJobs.length,
      sub_jobs: v.subJobs.map((sub) => ({
        status: sub.status,
        entities:
          sub.kind === 'attachment' ? { volume_id: sub.resourceId, server_id: sub.serverId } : { [`${sub.kind}_id`]: sub.resourceId },
        job_id: sub.id,
        job_type: SUB_JOB_TYPES[v.job.type] ?? v.job.type,
        begin_time: v.job.createdAt,
        end_time: end,
        error_code: sub.errorCode,
        fail_reason: sub.failReason,
      })),
    },
    job_id: v.job.id,
    job_type: v.job.type,
    begin_time: v.job.createdAt,
    end_time: end,
    error_code: v.errorCode,
    fail_reason: v.failReason,
  };
}
