/** Nova 2.1 JSON shapes of servers, key pairs and server groups: views over the TenantDO's rows. */
import type { ElasticIp, Keypair, Network, Port, SecurityGroup, Server, ServerGroup } from '../../schema/tenant.ts';
import { stableId } from '../lib/ids.ts';
import { isoSeconds } from '../lib/time.ts';

export interface ServerContext {
  origin: string;
  projectId: string;
  ports: Port[];
  networks: Network[];
  eips: ElasticIp[];
  groups: SecurityGroup[];
}

const time = (iso: string) => isoSeconds(Date.parse(iso));

function links(ctx: ServerContext, kind: string, id: string) {
  return [
    { rel: 'self', href: `${ctx.origin}/ecs/v2.1/${ctx.projectId}/${kind}/${id}` },
    { rel: 'bookmark', href: `${ctx.origin}/ecs/${ctx.projectId}/${kind}/${id}` },
  ];
}

/** The addresses of a server, by network name, with their Elastic IPs. */
export function addresses(ctx: ServerContext, s: Server) {
  const out: Record<string, { version: number; addr: string; 'OS-EXT-IPS:type': string; 'OS-EXT-IPS-MAC:mac_addr': string }[]> = {};
  for (const p of ctx.ports.filter((x) => x.deviceId === s.id)) {
    const net = ctx.networks.find((n) => n.id === p.networkId);
    const key = net?.name || p.networkId;
    out[key] ??= [];
    const list = out[key];
    for (const f of p.fixedIps)
      list.push({ version: 4, addr: f.ip_address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': p.macAddress });
    for (const e of ctx.eips.filter((x) => x.portId === p.id && x.address)) {
      list.push({ version: 4, addr: e.address!, 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': p.macAddress });
    }
  }
  return out;
}

/** A server in Nova 2.1's detailed shape (exactly its keys: the reference suite rejects others). */
export function serverView(ctx: ServerContext, s: Server) {
  const building = s.status === 'BUILD';
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    tenant_id: ctx.projectId,
    user_id: s.userId,
    metadata: s.metadata,
    hostId: s.hostId ? stableId(`${ctx.projectId}:${s.hostId}`).replaceAll('-', '') : '',
    image: { id: s.imageId, links: links(ctx, 'images', s.imageId) },
    flavor: { id: s.flavorId, links: links(ctx, 'flavors', s.flavorId) },
    created: time(s.createdAt),
    updated: time(s.updatedAt),
    addresses: addresses(ctx, s),
    accessIPv4: '',
    accessIPv6: '',
    links: links(ctx, 'servers', s.id),
    'OS-DCF:diskConfig': 'MANUAL',
    progress: building ? 0 : 100,
    'OS-EXT-AZ:availability_zone': s.zone,
    config_drive: '',
    key_name: s.keyName,
    'OS-SRV-USG:launched_at': s.launchedAt ? s.launchedAt.replace('Z', '').slice(0, 26) : null,
    'OS-SRV-USG:terminated_at': null,
    'OS-EXT-STS:task_state': s.taskState,
    'OS-EXT-STS:vm_state': s.vmState,
    'OS-EXT-STS:power_state': s.powerState,
    'os-extended-volumes:volumes_attached': [],
    security_groups: s.securityGroups.map((id) => ({ name: ctx.groups.find((g) => g.id === id)?.name ?? id })),
    ...(s.fault ? { fault: { code: s.fault.code, message: s.fault.message, created: time(s.fault.created) } } : {}),
  };
}

/** The short form of a server in lists. */
export function serverRef(ctx: ServerContext, s: Server) {
  return { id: s.id, name: s.name, links: links(ctx, 'servers', s.id) };
}

export function keypairView(k: Keypair, extra: Record<string, unknown> = {}) {
  return { name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint, ...extra };
}

export function serverGroupView(g: ServerGroup, members: string[]) {
  return { id: g.id, name: g.name, policies: [g.policy], members, metadata: {} };
}
