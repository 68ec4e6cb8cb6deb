/**
 * Native `POST /v1/{project_id}/cloudservers`: `count` servers, recorded all or none by one TenantDO.createServers
 * call (quotas for the whole count) with a job that succeeds when every one is ACTIVE, then built by the compute
 * manager through the queue. Everything the request names is checked before anything is made, and what was made
 * before the servers (their NICs and EIPs) is undone if a later step is refused.
 *
 * An Elastic IP goes on the server's primary NIC. That NIC is a port made here, before the server, so the EIP is
 * bound at once (allocated, or the one named by `publicip.id`) and the server is built on that port. The port is
 * the server's own (`ownedByServer`): whichever API deletes the server, or a failed build, deletes it too.
 */
import { z } from 'zod';
import { contains, parseCidr, parseIp } from '../../../core/ipv4.ts';
import { newReservationId } from '../../../durable/compute/names.ts';
import type { CreateServerInput } from '../../../durable/compute/servers.ts';
import type { Rows } from '../../../durable/tenant.ts';
import zoneSeed from '../../../seed/regions.json';
import { act } from '../../auth/middleware.ts';
import { catalogueFlavors, catalogueImages, type FlavorRow, type ImageRow } from '../../directory/catalogue.ts';
import type { AppContext } from '../../lib/app.ts';
import { badRequest } from '../../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { name } from '../../vpc/native/fields.ts';
import { placementHints } from '../dedicated.ts';
import { ecsRouter } from './errors.ts';

const MAX_USER_DATA = 32 * 1024;
const id = z.string().min(1);
const volumeType = z.enum(['SATA', 'SAS', 'SSD']);

const bandwidth = z
  .object({
    size: z.number().int().min(1).max(1000).optional(),
    sharetype: z.enum(['PER', 'WHOLE']),
    chargemode: z.enum(['traffic', 'bandwidth']).optional(),
    id: id.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.sharetype === 'PER' && b.size === undefined)
      ctx.addIssue({ code: 'custom', path: ['size'], message: 'required for a PER bandwidth' });
    if (b.sharetype === 'PER' && b.id) ctx.addIssue({ code: 'custom', path: ['id'], message: 'a PER bandwidth is made with its EIP' });
    if (b.sharetype === 'WHOLE' && !b.id)
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'a WHOLE (shared) bandwidth is given by id' });
  });
const publicIp = z
  .object({
    id: id.optional(),
    eip: z
      .object({
        iptype: z.literal('5_bgp'),
        bandwidth,
        extendparam: z
          .object({ chargingMode: z.literal('postPaid') })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((p) => (p.id === undefined) !== (p.eip === undefined), 'give either an existing EIP (id) or a new one (eip)');
const adminPass = z
  .string()
  .min(8)
  .max(26)
  .refine(
    (p) => [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(p)).length >= 3,
    'use three of: lowercase letters, uppercase letters, digits, special characters',
  );
const userData = z.string().refine((b64) => {
  try {
    return atob(b64).length <= MAX_USER_DATA;
  } catch {
    return false;
  }
}, `must be base64, at most ${MAX_USER_DATA} bytes once decoded`);

/** A tag key or value: no control characters and none of `=*<>\,|/` (so that `key=value` is a valid Nova tag). */
const tagPart = z.string().regex(/^[^\p{Cc}=*<>\\,|/]*$/u, 'must not contain control characters or any of =*<>\\,|/');

const createBody = z
  .object({
    server: z
      .object({
        imageRef: id,
        flavorRef: id,
        name: name.min(1),
        vpcid: id,
        nics: z
          .array(
            z
              .object({
                subnet_id: id,
                ip_address: z
                  .string()
                  .refine((ip) => parseIp(ip) !== null, 'not an IPv4 address')
                  .optional(),
              })
              .strict(),
          )
          .min(1)
          .max(12),
        security_groups: z.array(z.object({ id }).strict()).max(10).optional(),
        publicip: publicIp.optional(),
        root_volume: z.object({ volumetype: volumeType, size: z.number().int().min(40).max(1024).optional() }).strict(),
        data_volumes: z
          .array(z.object({ volumetype: volumeType, size: z.number().int().min(10).max(32768) }).strict())
          .max(23)
          .optional(),
        availability_zone: id.optional(),
        count: z.number().int().min(1).max(500).optional(),
        key_name: id.optional(),
        user_data: userData.optional(),
        adminPass: adminPass.optional(),
        metadata: z.record(z.string().min(1).max(255), z.string().max(255)).optional(),
        server_tags: z
          .array(z.object({ key: tagPart.min(1).max(36), value: tagPart.max(43).optional() }).strict())
          .max(10)
          .refine((tags) => new Set(tags.map((t) => t.key)).size === tags.length, 'tag keys must be unique')
          .optional(),
        extendparam: z
          .object({
            chargingMode: z.literal('postPaid').optional(),
            regionID: id.optional(),
            support_auto_recovery: z.enum(['true', 'false']).optional(),
            enterprise_project_id: z.literal('0').optional(),
          })
          .strict()
          .optional(),
        'os:scheduler_hints': z
          .object({ group: id.optional(), tenancy: z.enum(['shared', 'dedicated']).optional(), dedicated_host_id: id.optional() })
          .strict()
          .optional(),
      })
      .strict(),
  })
  .strict();
type Body = z.output<typeof createBody>['server'];
type PublicIp = NonNullable<Body['publicip']>;

/** The description of a primary NIC made by this API for a server (it is the server's own: deleted with it). */
function primaryNicDescription(serverId: string): string {
  return `Primary NIC of ECS ${serverId}`;
}

/** The flavor and image, checked against each other and against the root volume. */
async function catalogue(c: AppContext, s: Body): Promise<{ flavor: FlavorRow; image: ImageRow }> {
  const flavor = (await catalogueFlavors(c.env)).find((f) => f.id === s.flavorRef || f.name === s.flavorRef);
  if (!flavor) throw badRequest(`Flavor [${s.flavorRef}] does not exist.`, 'Ecs.0029');
  const image = (await catalogueImages(c.env)).find((i) => i.id === s.imageRef);
  if (!image) throw badRequest(`Image [${s.imageRef}] does not exist.`, 'Ecs.0031');
  if ((flavor.category === 'baremetal') !== (image.virtualEnvType === 'Ironic'))
    throw badRequest(
      `Image ${image.name} cannot run on flavor ${flavor.name}: bare-metal images go with physical.* flavors only.`,
      'Ecs.0007',
    );
  if (image.minRamMb > flavor.ramMb) throw badRequest(`Flavor ${flavor.name} has less memory than image ${image.name} needs.`);
  if ((s.root_volume.size ?? image.minDiskGb) < image.minDiskGb)
    throw badRequest(`The root volume (${s.root_volume.size} GB) is smaller than image ${image.name} needs (${image.minDiskGb} GB).`);
  return { flavor, image };
}

/** Each NIC's network (a native subnet id) must be in the VPC; a fixed address must be in it and free. */
function checkNics(rows: Pick<Rows, 'vpcs' | 'networks' | 'subnets' | 'ports'>, s: Body, count: number) {
  if (!rows.vpcs.some((v) => v.id === s.vpcid)) throw badRequest(`VPC [${s.vpcid}] does not exist.`, 'Ecs.0014');
  const wanted = new Set<string>();
  for (const nic of s.nics) {
    const net = rows.networks.find((n) => n.id === nic.subnet_id);
    if (!net) throw badRequest(`Subnet [${nic.subnet_id}] does not exist.`, 'Ecs.0038');
    if (net.vpcId !== s.vpcid) throw badRequest(`Subnet [${nic.subnet_id}] is not in VPC [${s.vpcid}].`, 'Ecs.0064');
    if (nic.ip_address === undefined) continue;
    if (count > 1) throw badRequest('A private IP address cannot be given when several ECSs are created at once.');
    const ip = parseIp(nic.ip_address)!;
    const subnet = rows.subnets.find((x) => x.networkId === net.id && contains(parseCidr(x.cidr)!, ip));
    if (!subnet || subnet.gatewayIp === nic.ip_address)
      throw badRequest(`Private IP address [${nic.ip_address}] is not in subnet [${nic.subnet_id}].`, 'Ecs.0039');
    const taken = rows.ports.some((p) => p.fixedIps.some((f) => f.subnet_id === subnet.id && f.ip_address === nic.ip_address));
    if (taken || wanted.has(nic.ip_address)) throw badRequest(`Private IP address ${nic.ip_address} is already in use.`, 'Ecs.0010');
    wanted.add(nic.ip_address);
  }
}

/** Security groups, key pair, server group and an existing EIP named by the body exist (and the EIP is free). */
function checkReferences(rows: Pick<Rows, 'security_groups' | 'keypairs' | 'server_groups' | 'elastic_ips'>, s: Body, count: number) {
  for (const g of s.security_groups ?? [])
    if (!rows.security_groups.some((x) => x.id === g.id)) throw badRequest(`Security group [${g.id}] does not exist.`);
  if (s.key_name && !rows.keypairs.some((k) => k.name === s.key_name)) throw badRequest(`Key pair [${s.key_name}] does not exist.`);
  const group = s['os:scheduler_hints']?.group;
  if (group && !rows.server_groups.some((g) => g.id === group)) throw badRequest(`Server group [${group}] does not exist.`);
  const existing = s.publicip?.id;
  if (existing === undefined) return;
  if (count > 1) throw badRequest('An existing EIP cannot be assigned to the ECSs created in batches.');
  const eip = rows.elastic_ips.find((e) => e.id === existing);
  if (!eip) throw badRequest(`Elastic IP [${existing}] does not exist.`);
  if (eip.status !== 'DOWN' || eip.portId)
    throw badRequest(`Elastic IP [${existing}] is ${eip.status}: only an unbound one can be assigned.`);
}

/** The servers (and their Elastic IPs) fit in the project's quotas. */
async function checkQuotas(c: AppContext, s: Body, count: number, flavor: FlavorRow) {
  const t = tenant(c);
  const { limits, usage } = unwrap(await t.computeQuotas());
  const more = { instances: count, cores: count * flavor.vcpus, ram: count * flavor.ramMb };
  for (const [k, n] of Object.entries(more) as [keyof typeof more, number][])
    if (limits[k] >= 0 && usage[k] + n > limits[k])
      throw badRequest(`Insufficient ${k} quota: ${n} more asked, ${usage[k]} of ${limits[k]} in use.`, 'Ecs.0001');
  if (!s.publicip?.eip) return;
  const network = unwrap(await t.quotas());
  const { floatingip: limit } = network.limits;
  if (limit >= 0 && network.usage.floatingip + count > limit) throw badRequest(`Insufficient EIP quota: ${limit} at most.`, 'Ecs.0013');
}

/** Everything the request names, checked; nothing is written. */
async function plan(c: AppContext, s: Body) {
  const { region } = projectScope(c);
  const count = s.count ?? 1;
  const { flavor, image } = await catalogue(c, s);
  const zones = zoneSeed.find((r) => r.id === region)?.zones ?? [];
  if (s.availability_zone && !zones.includes(s.availability_zone))
    throw badRequest(`Availability zone [${s.availability_zone}] does not exist in ${region}.`);
  if (s.extendparam?.regionID && s.extendparam.regionID !== region)
    throw badRequest(`regionID [${s.extendparam.regionID}] is not the project's region ${region}.`);
  const rows = await tenant(c).list([
    'vpcs',
    'networks',
    'subnets',
    'ports',
    'security_groups',
    'keypairs',
    'server_groups',
    'elastic_ips',
  ]);
  checkNics(rows, s, count);
  checkReferences(rows, s, count);
  const placement = await placementHints(c, s['os:scheduler_hints'] ?? {}, zones, s.availability_zone);
  await checkQuotas(c, s, count, flavor);
  return { count, flavor, image, zones, placement };
}

/** The network resources a create made before its servers, undone when a later step is refused. */
interface Made {
  portIds: string[];
  eipIds: string[];
}

async function undo(c: AppContext, made: Made) {
  const t = tenant(c);
  const steps = [
    ...made.eipIds.map((eip) => () => t.releaseEip(eip)),
    // Deleting the port also unbinds an existing EIP that was bound to it.
    ...made.portIds.map((port) => () => t.deletePort(port)),
  ];
  for (const step of steps) {
    try {
      await step();
    } catch {
      // Best effort: the refusal that started the undo is the answer, and the TenantDO's alarm finishes EIP steps.
    }
  }
}

/** The primary NIC of a server that gets an Elastic IP, made before the server, with the EIP bound to it. */
async function primaryNic(c: AppContext, serverId: string, s: Body, pub: PublicIp, made: Made): Promise<string> {
  const t = tenant(c);
  const { projectId, region } = projectScope(c);
  const nic = s.nics[0]!;
  const portId = crypto.randomUUID();
  const groups = (s.security_groups ?? []).map((g) => g.id);
  unwrap(
    await t.createPort({
      id: portId,
      networkId: nic.subnet_id,
      fixedIps: nic.ip_address ? [{ ip_address: nic.ip_address }] : undefined,
      securityGroups: groups.length ? groups : undefined,
      description: primaryNicDescription(serverId),
    }),
  );
  made.portIds.push(portId);
  if (pub.id) {
    unwrap(await t.bindEip(pub.id, portId));
    return portId;
  }
  const b = pub.eip!.bandwidth;
  const eipId = crypto.randomUUID();
  const bw = { id: b.id, size: b.size, shareType: b.sharetype, chargeMode: b.chargemode };
  unwrap(await t.allocateEip({ id: eipId, region, type: pub.eip!.iptype, bandwidth: bw }, projectId, { portId }));
  made.eipIds.push(eipId);
  return portId;
}

/**
 * Makes the primary NICs (with their EIPs) first, then records every server and the job over them in one TenantDO
 * call: all of them or none. A refusal undoes the NICs and EIPs and is the answer.
 */
async function provision(c: AppContext, s: Body, p: Awaited<ReturnType<typeof plan>>, jobId: string): Promise<string[]> {
  const { projectId } = projectScope(c);
  const hints = s['os:scheduler_hints'] ?? {};
  const made: Made = { portIds: [], eipIds: [] };
  // Flexible Engine's `key=value` tags are the server's Nova tags.
  const tags = (s.server_tags ?? []).map((t) => `${t.key}=${t.value ?? ''}`);
  const reservationId = newReservationId();
  const nics = s.nics.map((n) => ({ networkId: n.subnet_id, fixedIp: n.ip_address }));
  const serverIds = Array.from({ length: p.count }, () => crypto.randomUUID());
  try {
    const inputs: CreateServerInput[] = [];
    for (const [i, serverId] of serverIds.entries()) {
      const portId = s.publicip ? await primaryNic(c, serverId, s, s.publicip, made) : undefined;
      inputs.push({
        id: serverId,
        name: p.count > 1 ? `${s.name}-${String(i + 1).padStart(4, '0')}` : s.name,
        userId: c.var.principal.userId,
        flavor: { id: p.flavor.id, vcpus: p.flavor.vcpus, ramMb: p.flavor.ramMb, diskGb: Math.max(p.flavor.diskGb, p.image.minDiskGb) },
        imageId: p.image.id,
        zone: p.placement.zone ?? p.zones[Number.parseInt(serverId.slice(0, 2), 16) % p.zones.length]!,
        nics: portId ? [{ portId, ownedByServer: true }, ...nics.slice(1)] : nics,
        securityGroups: (s.security_groups ?? []).map((g) => g.id),
        keyName: s.key_name,
        userData: s.user_data ?? null,
        adminPass: s.adminPass ?? null,
        metadata: s.metadata ?? {},
        hints: p.placement.hints,
        autoRecovery: s.extendparam?.support_auto_recovery !== 'false',
        serverGroupId: hints.group ?? null,
        tags,
        reservationId,
        launchIndex: i,
      });
    }
    const job = { id: jobId, type: 'createServer', until: 'ACTIVE' } as const;
    unwrap(await tenant(c).createServers(projectId, inputs, c.var.requestId, job));
    return serverIds;
  } catch (err) {
    await undo(c, made);
    throw err;
  }
}

export const createRoutes = ecsRouter();

createRoutes.post('/cloudservers', act('ecs:servers:create'), async (c) => {
  const { server: s } = await jsonBody(c, createBody);
  const jobId = crypto.randomUUID();
  const serverIds = await provision(c, s, await plan(c, s), jobId);
  return c.json({ job_id: jobId, serverIds });
});
