/**
 * Nova's resource types through the ECS use cases: servers (created by the one create use case every door uses,
 * ready once ACTIVE), key pairs, server groups, and Cinder's volume attachments (attached by the attach use case,
 * ready once the volume is in-use).
 */
import type { GroupPolicy } from '../../../durable/ecs/keypairs.ts';
import { generateSsh, sshFingerprint } from '../../ecs/keygen.ts';
import { NOVA_WORDS } from '../../ecs/refusals.ts';
import { attachVolume, detachVolume } from '../../ecs/usecases/attachments.ts';
import { createServers } from '../../ecs/usecases/create.ts';
import { deleteServers, listServers, serverById } from '../../ecs/usecases/servers.ts';
import { volumeById } from '../../evs/usecases/volumes.ts';
import { bootableImages } from '../../ims/usecases/images.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';
import { networkId, securityGroupId } from './network.ts';
import { gone, nameOf, type Plugin, str } from './plugin.ts';

/** An image by id or name, among those the project may boot. */
async function imageRef(caller: Caller, ref: string): Promise<string> {
  const images = await bootableImages(caller.env, caller.projectId);
  return (images.find((i) => i.id === ref) ?? images.find((i) => i.name === ref))?.id ?? ref;
}

/** A server's NICs from Heat's `networks` entries (`network` by id or name, `port`, `fixed_ip`). */
async function nicsOf(caller: Caller, networks: unknown): Promise<{ networkId: string; portId?: string; fixedIp?: string }[]> {
  const list = (networks ?? []) as Record<string, unknown>[];
  return Promise.all(
    list.map(async (n) => ({
      networkId: n.network ? await networkId(caller, String(n.network)) : '',
      portId: str(n.port),
      fixedIp: str(n.fixed_ip),
    })),
  );
}

const server: Plugin = {
  actions: { create: 'ecs:servers:create', delete: 'ecs:servers:delete' },
  async create(caller, p, job) {
    const name = nameOf(p, job);
    const hints = (p.scheduler_hints ?? {}) as { group?: string };
    const groups = await Promise.all(((p.security_groups ?? []) as unknown[]).map((g) => securityGroupId(caller, String(g))));
    const created = await createServers(
      caller,
      {
        flavorRef: String(p.flavor),
        imageRef: p.image ? await imageRef(caller, String(p.image)) : '',
        availabilityZone: str(p.availability_zone),
        count: { min: 1, max: 1 },
        hints,
        each: () => ({ name, description: name }),
        server: {
          nics: await nicsOf(caller, p.networks),
          noNetwork: false,
          securityGroups: groups,
          keyName: str(p.key_name),
          // Heat takes user_data as text; Nova keeps it base64, as its API receives it.
          userData: p.user_data ? btoa(unescape(encodeURIComponent(String(p.user_data)))) : null,
          adminPass: str(p.admin_pass) ?? crypto.randomUUID().slice(0, 12),
          metadata: (p.metadata ?? {}) as Record<string, string>,
        },
      },
      NOVA_WORDS,
    );
    return { id: created.servers[0]!.id };
  },
  async find(caller, name) {
    return (await listServers(caller)).servers.find((s) => s.name === name && s.status !== 'DELETED')?.id;
  },
  async ready(caller, id) {
    const r = await serverById(caller, id);
    if (!r) return { failed: `Server ${id} is gone` };
    if (r.server.status === 'ERROR')
      return {
        failed: `Went to status ERROR due to "Message: ${r.server.fault?.message ?? 'Unknown'}, Code: ${r.server.fault?.code ?? 500}"`,
      };
    return r.server.status === 'ACTIVE' ? 'ready' : 'pending';
  },
  async attributes(caller, id) {
    const r = await serverById(caller, id);
    if (!r) return {};
    const mine = r.ports.filter((x) => x.deviceId === id);
    const addresses: Record<string, { addr: string; version: number }[]> = {};
    for (const port of mine) {
      const net = r.networks.find((n) => n.id === port.networkId)?.name ?? port.networkId;
      addresses[net] = [...(addresses[net] ?? []), ...port.fixedIps.map((f) => ({ addr: f.ip_address, version: 4 }))];
    }
    const first = mine[0]?.fixedIps[0]?.ip_address ?? '';
    return {
      name: r.server.name,
      first_address: first,
      addresses,
      networks: Object.fromEntries(Object.entries(addresses).map(([k, v]) => [k, v.map((a) => a.addr)])),
      accessIPv4: first,
      instance_name: r.server.name,
      show: { id, name: r.server.name, status: r.server.status, addresses },
    };
  },
  delete: (caller, id) => gone(() => deleteServers(caller, [id])),
  async gone(caller, id) {
    const r = await serverById(caller, id);
    return !r || r.server.status === 'DELETED';
  },
};

const keyPair: Plugin = {
  actions: { create: 'ecs:keypairs:create', delete: 'ecs:keypairs:delete' },
  async create(caller, p) {
    const name = String(p.name);
    let publicKey = str(p.public_key);
    let privateKey: string | undefined;
    let fingerprint: string;
    if (publicKey === undefined) ({ publicKey, privateKey, fingerprint } = await generateSsh(name));
    else fingerprint = await sshFingerprint(publicKey);
    unwrap(await tenantOf(caller).createKeypair({ name, userId: caller.userId, publicKey, fingerprint, type: 'ssh' }));
    return { id: name, attributes: { public_key: publicKey, private_key: p.save_private_key ? (privateKey ?? '') : '' } };
  },
  delete: (caller, id) => gone(async () => unwrap(await tenantOf(caller).deleteKeypair(id))),
};

const serverGroup: Plugin = {
  actions: { create: 'ecs:serverGroups:create', delete: 'ecs:serverGroups:delete' },
  async create(caller, p, job) {
    const policy = (((p.policies ?? []) as string[])[0] ?? 'anti-affinity') as GroupPolicy;
    const row = unwrap(
      await tenantOf(caller).createServerGroup({ id: crypto.randomUUID(), name: nameOf(p, job), policy, userId: caller.userId }),
    );
    return { id: row.id };
  },
  delete: (caller, id) => gone(async () => unwrap(await tenantOf(caller).deleteServerGroup(id))),
};

/** An attachment is named `server:volume`, so its removal and its state need nothing else. */
const volumeAttachment: Plugin = {
  actions: { create: 'ecs:servers:attachVolume', delete: 'ecs:servers:detachVolume' },
  async create(caller, p) {
    await attachVolume(caller, String(p.instance_uuid), { volumeId: String(p.volume_id), device: str(p.mountpoint) });
    return { id: `${p.instance_uuid}:${p.volume_id}` };
  },
  async ready(caller, id) {
    const v = await volumeById(caller, id.split(':')[1]!);
    if (!v || v.status === 'error') return { failed: `Volume ${id.split(':')[1]} could not be attached` };
    return v.status === 'in-use'
      ? 'ready'
      : v.status === 'available'
        ? { failed: `Volume ${id.split(':')[1]} was not attached` }
        : 'pending';
  },
  async delete(caller, id) {
    const [serverId, volumeId] = id.split(':');
    await gone(() => detachVolume(caller, serverId!, volumeId!));
  },
  async gone(caller, id) {
    const v = await volumeById(caller, id.split(':')[1]!);
    return !v || v.status === 'available' || v.status === 'error';
  },
};

export const COMPUTE_PLUGINS: Record<string, Plugin> = {
  'OS::Nova::Server': server,
  'OS::Nova::KeyPair': keyPair,
  'OS::Nova::ServerGroup': serverGroup,
  'OS::Cinder::VolumeAttachment': volumeAttachment,
};
