/**
 * Native `POST /v1/{project_id}/cloudservers`: `count` servers, recorded all or none (quotas for the whole count) by
 * the create use case (workers/ecs/usecases/create.ts) with a job that succeeds when every one is ACTIVE, then built
 * by the compute manager through the queue. Everything the request names is checked before anything is made, and what was made
 * before the servers (their NICs and EIPs) is undone if a later step is refused.
 *
 * An Elastic IP goes on the server's primary NIC. That NIC is a port the TenantDO makes in the same operation, before
 * the server (durable/ecs/create.ts), so the EIP is bound at once (allocated, or the one named by `publicip.id`)
 * and the server is built on that port. The port is the server's own (`ownedByServer`): whichever API deletes the
 * server, or a failed build, deletes it too.
 *
 * Its `root_volume` and `data_volumes` are EVS volumes made with it in the same TenantDO transaction (within the
 * storage quotas), held by its build and `in-use` once it is ACTIVE.
 */
import { z } from 'zod';
import { STATUS } from '../../../core/ecs/states.ts';
import { parseIp } from '../../../core/ipv4.ts';
import { act } from '../../auth/middleware.ts';
import { callerOf } from '../../lib/caller.ts';
import { jsonBody } from '../../lib/validate.ts';
import { name } from '../../vpc/native/fields.ts';
import { type BlockDevice, createServers } from '../usecases/create.ts';
import { ecsRouter } from './errors.ts';
import { NATIVE_WORDS } from './refusals.ts';

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

/** The NICs and Elastic IP of the request, as the TenantDO makes them. */
function networkOf(s: Body) {
  const pub = s.publicip;
  const bandwidth = pub?.eip?.bandwidth;
  return {
    vpcId: s.vpcid,
    nics: s.nics.map((n) => ({ subnetId: n.subnet_id, ipAddress: n.ip_address })),
    publicIp: pub && {
      id: pub.id,
      eip: pub.eip &&
        bandwidth && {
          type: pub.eip.iptype,
          bandwidth: { id: bandwidth.id, size: bandwidth.size, shareType: bandwidth.sharetype, chargeMode: bandwidth.chargemode },
        },
    },
  };
}

/**
 * The server's EVS disks: its system disk made from the image (deleted with it, as Flexible Engine's always is),
 * and its data disks (kept when it is deleted, unless the delete asks otherwise).
 */
function volumesOf(s: Body): BlockDevice[] {
  return [
    {
      source: 'image',
      uuid: s.imageRef,
      bootIndex: 0,
      size: s.root_volume.size,
      volumeType: s.root_volume.volumetype,
      deleteOnTermination: true,
    },
    ...(s.data_volumes ?? []).map(
      (d): BlockDevice => ({ source: 'blank', bootIndex: null, size: d.size, volumeType: d.volumetype, deleteOnTermination: false }),
    ),
  ];
}

export const createRoutes = ecsRouter();

createRoutes.post('/cloudservers', act('ecs:servers:create'), async (c) => {
  const { server: s } = await jsonBody(c, createBody);
  const job = { id: crypto.randomUUID(), type: 'createServer', until: STATUS.ACTIVE } as const;
  const count = s.count ?? 1;
  const created = await createServers(
    callerOf(c),
    {
      flavorRef: s.flavorRef,
      imageRef: s.imageRef,
      rootDiskGb: s.root_volume.size,
      blockDevices: volumesOf(s),
      availabilityZone: s.availability_zone,
      region: s.extendparam?.regionID,
      count: { min: count, max: count },
      hints: s['os:scheduler_hints'] ?? {},
      each: (i, n) => ({ name: n > 1 ? `${s.name}-${String(i + 1).padStart(4, '0')}` : s.name }),
      server: {
        nics: s.nics.map((n) => ({ networkId: n.subnet_id, fixedIp: n.ip_address })),
        securityGroups: (s.security_groups ?? []).map((g) => g.id),
        keyName: s.key_name,
        userData: s.user_data ?? null,
        adminPass: s.adminPass ?? null,
        metadata: s.metadata ?? {},
        autoRecovery: s.extendparam?.support_auto_recovery !== 'false',
        // Flexible Engine's `key=value` tags are the server's Nova tags.
        tags: (s.server_tags ?? []).map((t) => `${t.key}=${t.value ?? ''}`),
      },
      network: networkOf(s),
      job,
    },
    NATIVE_WORDS,
  );
  return c.json({ job_id: job.id, serverIds: created.servers.map((x) => x.id) });
});
