/**
 * Nova JSON shapes of servers, key pairs and server groups, per microversion (exactly their keys: the reference
 * suite rejects others): views over the TenantDO's rows.
 */
import { oneOf, STATUS } from '../../core/ecs/states.ts';
import { stableId } from '../../core/ids.ts';
import { hostnameOf } from '../../durable/ecs/names.ts';
import type { ElasticIp, Keypair, Network, Port, SecurityGroup, Server, ServerGroup, VolumeAttachment } from '../../schema/tenant.ts';
import { isoSeconds } from '../lib/time.ts';

export interface ServerContext {
  origin: string;
  projectId: string;
  /** The project id as the request's path wrote it: '' on 2.18's routes without one, whose links leave it out too. */
  pathProject: string;
  ports: Port[];
  networks: Network[];
  eips: ElasticIp[];
  groups: SecurityGroup[];
  /** The volume attachments of the servers shown. */
  attachments: VolumeAttachment[];
  /** The minor number of the negotiated microversion (2.X). */
  minor: number;
  /** The caller is the cloud operator, Nova's admin: admin-only attributes are shown. */
  admin: boolean;
  /** Nova's host_status of each host a server is on (computed for the admin at 2.16 and later). */
  hostStatus: Map<string, string>;
}

/** Statuses whose servers show `progress`, and those that show their `fault`, as Nova's view builder. */
const PROGRESS_STATUSES = [STATUS.ACTIVE, STATUS.BUILD, STATUS.REBUILD, STATUS.RESIZE, STATUS.VERIFY_RESIZE, STATUS.MIGRATING];
const FAULT_STATUSES = [STATUS.ERROR, STATUS.DELETED];

const time = (iso: string) => isoSeconds(Date.parse(iso));
/** Nova's naive timestamps (`2024-01-02T03:04:05.123456`). */
const naive = (iso: string) => iso.replace('Z', '').slice(0, 26);

/** Where the links of a request point: its origin and its path's project id ('' without one). */
type LinkBase = Pick<ServerContext, 'origin' | 'pathProject'>;

function links(ctx: LinkBase, kind: string, id: string) {
  const project = ctx.pathProject ? `/${ctx.pathProject}` : '';
  return [
    { rel: 'self', href: `${ctx.origin}/ecs/v2.1${project}/${kind}/${id}` },
    { rel: 'bookmark', href: `${ctx.origin}/ecs${project}/${kind}/${id}` },
  ];
}

/** The links of a server, as a create answers them. */
export const serverLinks = (base: LinkBase, id: string) => links(base, 'servers', id);

interface Address {
  version: number;
  addr: string;
  'OS-EXT-IPS:type'?: string;
  'OS-EXT-IPS-MAC:mac_addr'?: string;
}

/** The addresses of a server, by network name, with their Elastic IPs; `extended` adds the type and MAC. */
export function addresses(ctx: Pick<ServerContext, 'ports' | 'networks' | 'eips'>, s: Server, extended = true) {
  const out: Record<string, Address[]> = {};
  const one = (addr: string, type: string, mac: string): Address =>
    extended ? { version: 4, addr, 'OS-EXT-IPS:type': type, 'OS-EXT-IPS-MAC:mac_addr': mac } : { version: 4, addr };
  for (const p of ctx.ports.filter((x) => x.deviceId === s.id)) {
    const net = ctx.networks.find((n) => n.id === p.networkId);
    const key = net?.name || p.networkId;
    out[key] ??= [];
    const list = out[key];
    for (const f of p.fixedIps) list.push(one(f.ip_address, 'fixed', p.macAddress));
    for (const e of ctx.eips.filter((x) => x.portId === p.id && x.address)) list.push(one(e.address!, 'floating', p.macAddress));
  }
  return out;
}

/** A server's attachments, its boot disk first (Nova lists its block device mappings in that order). */
export const attachmentsOf = (ctx: Pick<ServerContext, 'attachments'>, s: Server) =>
  ctx.attachments
    .filter((a) => a.serverId === s.id)
    .sort((a, b) => (a.bootIndex ?? 99) - (b.bootIndex ?? 99) || a.device.localeCompare(b.device));

/** Whether the server's boot disk is one of its volumes. */
export const bootsFromVolume = (ctx: Pick<ServerContext, 'attachments'>, s: Server) =>
  ctx.attachments.some((a) => a.serverId === s.id && a.bootIndex === 0);

/** `os-extended-volumes:volumes_attached`: the volume ids, with their deletion flag from 2.3. */
function volumesAttached(ctx: ServerContext, s: Server) {
  return attachmentsOf(ctx, s).map((a) =>
    ctx.minor >= 3 ? { id: a.volumeId, delete_on_termination: a.deleteOnTermination } : { id: a.volumeId },
  );
}

/** The keys every server body has, with `progress` and `fault` only in the statuses that show them. */
function baseView(ctx: ServerContext, s: Server) {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    tenant_id: ctx.projectId,
    user_id: s.userId,
    metadata: s.metadata,
    hostId: s.hostId ? stableId(`${ctx.projectId}:${s.hostId}`).replaceAll('-', '') : '',
    // A server booted from a volume shows no image, as Nova shows it.
    image: bootsFromVolume(ctx, s) ? '' : { id: s.imageId, links: links(ctx, 'images', s.imageId) },
    flavor: { id: s.flavorId, links: links(ctx, 'flavors', s.flavorId) },
    created: time(s.createdAt),
    updated: time(s.updatedAt),
    accessIPv4: s.accessIpv4,
    accessIPv6: s.accessIpv6,
    links: links(ctx, 'servers', s.id),
    'OS-DCF:diskConfig': s.diskConfig,
    ...(oneOf(s.status, PROGRESS_STATUSES) ? { progress: s.status === STATUS.BUILD ? 0 : 100 } : {}),
    ...(s.fault && oneOf(s.status, FAULT_STATUSES)
      ? { fault: { code: s.fault.code, message: s.fault.message, created: time(s.fault.created) } }
      : {}),
  };
}

/** What later microversions add to every server body: 2.9 `locked`, 2.19 `description`, 2.26 `tags`. */
function versionedView(ctx: ServerContext, s: Server) {
  return {
    ...(ctx.minor >= 9 ? { locked: s.lockedBy !== null } : {}),
    ...(ctx.minor >= 19 ? { description: s.description } : {}),
    ...(ctx.minor >= 26 ? { tags: s.tags } : {}),
  };
}

/** Nova's admin-only attributes: the host and instance name, 2.3's EC2 attributes, 2.16's host_status. */
function adminView(ctx: ServerContext, s: Server) {
  if (!ctx.admin) return {};
  return {
    'OS-EXT-SRV-ATTR:host': s.hostId,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': s.hostId,
    'OS-EXT-SRV-ATTR:instance_name': `instance-${s.id.slice(0, 8)}`,
    ...(ctx.minor >= 3
      ? {
          'OS-EXT-SRV-ATTR:reservation_id': s.reservationId || null,
          'OS-EXT-SRV-ATTR:launch_index': s.launchIndex,
          'OS-EXT-SRV-ATTR:hostname': s.hostname || hostnameOf(s.name, s.id),
          'OS-EXT-SRV-ATTR:kernel_id': '',
          'OS-EXT-SRV-ATTR:ramdisk_id': '',
          'OS-EXT-SRV-ATTR:root_device_name': s.launchedAt ? '/dev/vda' : null,
          'OS-EXT-SRV-ATTR:user_data': s.userData,
        }
      : {}),
    ...(ctx.minor >= 16 ? { host_status: s.hostId ? (ctx.hostStatus.get(s.hostId) ?? 'UNKNOWN') : '' } : {}),
  };
}

/** A server as show and the detailed list answer it, in the request's microversion. */
export function serverView(ctx: ServerContext, s: Server) {
  return {
    ...baseView(ctx, s),
    addresses: addresses(ctx, s),
    'OS-EXT-AZ:availability_zone': s.zone,
    config_drive: '',
    key_name: s.keyName,
    'OS-SRV-USG:launched_at': s.launchedAt ? naive(s.launchedAt) : null,
    'OS-SRV-USG:terminated_at': null,
    'OS-EXT-STS:task_state': s.taskState,
    'OS-EXT-STS:vm_state': s.vmState,
    'OS-EXT-STS:power_state': s.powerState,
    'os-extended-volumes:volumes_attached': volumesAttached(ctx, s),
    security_groups: s.securityGroups.map((id) => ({ name: ctx.groups.find((g) => g.id === id)?.name ?? id })),
    ...adminView(ctx, s),
    ...versionedView(ctx, s),
  };
}

/**
 * A server as an update (PUT) and a rebuild answer it: before 2.75 Nova leaves out the availability zone, key,
 * states, usage, volumes, security groups and the addresses' type and MAC.
 */
export function serverUpdateView(ctx: ServerContext, s: Server) {
  return { ...baseView(ctx, s), addresses: addresses(ctx, s, false), ...versionedView(ctx, s) };
}

/** The short form of a server in lists. */
export function serverRef(ctx: ServerContext, s: Server) {
  return { id: s.id, name: s.name, links: links(ctx, 'servers', s.id) };
}

/** A key pair as a list item, a create or a show answers it; 2.2 adds its `type`. */
export function keypairView(k: Keypair, minor: number, kind: 'list' | 'create' | 'show', privateKey?: string) {
  return {
    name: k.name,
    public_key: k.publicKey,
    fingerprint: k.fingerprint,
    ...(kind === 'list' ? {} : { user_id: k.userId }),
    ...(kind === 'show' ? { created_at: naive(k.createdAt), deleted: false, deleted_at: null, updated_at: null, id: 0 } : {}),
    ...(minor >= 2 ? { type: k.type } : {}),
    ...(privateKey ? { private_key: privateKey } : {}),
  };
}

/** A server group; 2.13 adds its project and user. */
export function serverGroupView(g: ServerGroup, members: string[], minor: number, projectId: string) {
  return {
    id: g.id,
    name: g.name,
    policies: [g.policy],
    members,
    metadata: {},
    ...(minor >= 13 ? { project_id: projectId, user_id: g.userId } : {}),
  };
}
