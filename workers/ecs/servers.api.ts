/** Nova `/servers`: create (queued build), list, show, update, delete, metadata, interfaces, addresses. */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { randomToken } from '../lib/crypto.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { jsonBody } from '../lib/validate.ts';
import { blockDevice, blockDevicesOf } from './block-devices.ts';
import { checkMetadataCount, novaMetadata } from './metadata.ts';
import { atLeast } from './microversion.ts';
import { accessFields, accessIPv4, accessIPv6, diskConfig, fixedIp } from './nova-fields.ts';
import { NOVA_WORDS } from './refusals.ts';
import { oneServer, serverContext } from './server-context.ts';
import { listed } from './server-list.ts';
import { createServers } from './usecases/create.ts';
import { deleteServers, updateServer } from './usecases/servers.ts';
import { addresses, serverLinks, serverRef, serverUpdateView, serverView } from './views.ts';

const MAX_USER_DATA = 32 * 1024;

/** Nova's description (2.19): printable characters (spaces, but no control or line separators), at most 255; null for none. */
export const description = z
  .string()
  .max(255)
  .regex(/^[^\p{C}\p{Zl}\p{Zp}]*$/u, 'must be printable characters')
  .nullable();

const network = z.object({ uuid: z.string().optional(), port: z.string().optional(), fixed_ip: fixedIp.optional() }).strict();
const createBody = z
  .object({
    server: z
      .object({
        name: z.string().trim().min(1).max(255),
        // Empty (or absent) when the server boots from a volume of its block_device_mapping_v2.
        imageRef: z.string().optional(),
        flavorRef: z.string().min(1),
        block_device_mapping_v2: z.array(blockDevice).max(64).optional(),
        networks: z.union([z.array(network), z.enum(['auto', 'none'])]).optional(),
        security_groups: z.array(z.object({ name: z.string().min(1) }).strict()).optional(),
        key_name: z.string().optional(),
        user_data: z.string().optional(),
        metadata: novaMetadata.optional(),
        availability_zone: z.string().optional(),
        min_count: z.coerce.number().int().min(1).optional(),
        max_count: z.coerce.number().int().min(1).max(100).optional(),
        adminPass: z.string().optional(),
        config_drive: z.union([z.boolean(), z.string()]).optional(),
        'OS-DCF:diskConfig': diskConfig.optional(),
        accessIPv4: accessIPv4.optional(),
        accessIPv6: accessIPv6.optional(),
        return_reservation_id: z.boolean().optional(),
        description: description.optional(),
      })
      .strict(),
    'os:scheduler_hints': z
      .object({
        group: z.string().optional(),
        tenancy: z.enum(['dedicated', 'shared']).optional(),
        dedicated_host_id: z.string().optional(),
      })
      .passthrough()
      .optional(),
    'OS-SCH-HNT:scheduler_hints': z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
const updateFields = z
  .object({
    name: z.string().trim().min(1).max(255).optional(),
    'OS-DCF:diskConfig': diskConfig.optional(),
    accessIPv4: accessIPv4.optional(),
    accessIPv6: accessIPv6.optional(),
  })
  .strict();
/** The update body of 2.1, and of 2.19 with its description. */
const updateBody = z.object({ server: updateFields }).strict();
const updateBody219 = z.object({ server: updateFields.extend({ description: description.optional() }).strict() }).strict();

function decodeUserData(b64: string | undefined): string | null {
  if (b64 === undefined) return null;
  let text: string;
  try {
    text = atob(b64);
  } catch {
    throw badRequest('Invalid input for field/attribute user_data: it must be base64.');
  }
  if (text.length > MAX_USER_DATA) throw badRequest(`User data too large: ${text.length} bytes, the most is ${MAX_USER_DATA}.`);
  return b64;
}

/** The NICs a create asks for: none given or `auto` (the project's only network), `none` (null), or a list. */
function nicsOf(networks: z.output<typeof createBody>['server']['networks']) {
  if (networks === undefined || networks === 'auto') return [];
  if (networks === 'none') return null;
  const nics = networks.map((n) => ({ networkId: n.uuid, portId: n.port, fixedIp: n.fixed_ip }));
  if (nics.some((n) => !n.networkId && !n.portId)) throw badRequest('Each network needs a uuid or a port.');
  return nics;
}

export const serverRoutes = router();

serverRoutes.post('/servers', act('ecs:servers:create'), async (c) => {
  const body = await jsonBody(c, createBody);
  const s = body.server;
  // Before 2.19 there is no description to give, and Nova describes a server with its name.
  if (s.description !== undefined && !atLeast(c, '2.19'))
    throw badRequest("Invalid input for field 'server': 'description' is not allowed.");
  checkMetadataCount(s.metadata);
  const hints = body['os:scheduler_hints'] ?? {};
  const max = s.max_count ?? s.min_count ?? 1;
  if ((s.min_count ?? 1) > max) throw badRequest('min_count must be <= max_count.');
  const userData = decodeUserData(s.user_data);
  const nics = nicsOf(s.networks);
  const adminPass = s.adminPass ?? randomToken(9);
  const described = atLeast(c, '2.19');
  const bdm = blockDevicesOf(s.block_device_mapping_v2);
  const created = await createServers(
    callerOf(c),
    {
      flavorRef: s.flavorRef,
      imageRef: s.imageRef || bdm.image || '',
      blockDevices: bdm.devices,
      availabilityZone: s.availability_zone,
      count: { min: s.min_count ?? 1, max },
      hints,
      each: (i, count) => {
        const name = count > 1 ? `${s.name}-${i + 1}` : s.name;
        return { name, description: described ? (s.description ?? null) : name };
      },
      server: {
        nics: nics ?? [],
        noNetwork: nics === null,
        securityGroups: (s.security_groups ?? []).map((g) => g.name),
        keyName: s.key_name,
        userData,
        adminPass,
        metadata: s.metadata ?? {},
        ...accessFields(s),
      },
    },
    NOVA_WORDS,
  );
  if (s.return_reservation_id) return c.json({ reservation_id: created.reservationId }, 202);
  const server = created.servers[0]!;
  const base = { origin: new URL(c.req.url).origin, pathProject: c.req.param('project_id') ?? '' };
  return c.json(
    {
      server: {
        id: server.id,
        links: serverLinks(base, server.id),
        'OS-DCF:diskConfig': s['OS-DCF:diskConfig'] ?? 'MANUAL',
        security_groups: server.groupNames.map((name) => ({ name })),
        adminPass,
      },
    },
    202,
  );
});

serverRoutes.get('/servers', act('ecs:servers:list'), async (c) => {
  const ctx = await serverContext(c);
  const { rows, links } = listed(c, ctx);
  return c.json({ servers: rows.map((s) => serverRef(ctx, s)), ...links });
});

serverRoutes.get('/servers/detail', act('ecs:servers:list'), async (c) => {
  const ctx = await serverContext(c);
  const { rows, links } = listed(c, ctx);
  return c.json({ servers: rows.map((s) => serverView(ctx, s)), ...links });
});

serverRoutes.get('/servers/:server_id', act('ecs:servers:get'), async (c) => {
  const { ctx, s } = await oneServer(c);
  return c.json({ server: serverView(ctx, s) });
});

serverRoutes.put('/servers/:server_id', act('ecs:servers:update'), async (c) => {
  const { server: patch } = (await jsonBody(c, atLeast(c, '2.19') ? updateBody219 : updateBody)) as z.output<typeof updateBody219>;
  const { ctx } = await oneServer(c);
  const s = await updateServer(callerOf(c), c.req.param('server_id'), {
    name: patch.name,
    description: patch.description,
    ...accessFields(patch),
  });
  return c.json({ server: serverUpdateView(ctx, s) });
});

serverRoutes.delete('/servers/:server_id', act('ecs:servers:delete'), async (c) => {
  await oneServer(c);
  await deleteServers(callerOf(c), [c.req.param('server_id')]);
  return c.body(null, 204);
});

serverRoutes.get('/servers/:server_id/ips', act('ecs:servers:get'), async (c) => {
  const { ctx, s } = await oneServer(c);
  return c.json({ addresses: addresses(ctx, s) });
});

serverRoutes.get('/servers/:server_id/os-interface', act('ecs:servers:get'), async (c) => {
  const { ctx, s } = await oneServer(c);
  const attachments = ctx.ports
    .filter((p) => p.deviceId === s.id)
    .map((p) => ({ port_state: p.status, fixed_ips: p.fixedIps, port_id: p.id, net_id: p.networkId, mac_addr: p.macAddress }));
  return c.json({ interfaceAttachments: attachments });
});

const metadataBody = z.object({ metadata: novaMetadata }).strict();
const metaItemBody = z.object({ meta: novaMetadata }).strict();

serverRoutes.get('/servers/:server_id/metadata', act('ecs:servers:get'), async (c) =>
  c.json({ metadata: (await oneServer(c)).s.metadata }),
);

serverRoutes.post('/servers/:server_id/metadata', act('ecs:servers:update'), async (c) => {
  const { metadata } = await jsonBody(c, metadataBody);
  checkMetadataCount(metadata);
  await oneServer(c);
  return c.json({
    metadata: (await updateServer(callerOf(c), c.req.param('server_id'), { metadata })).metadata,
  });
});

serverRoutes.put('/servers/:server_id/metadata', act('ecs:servers:update'), async (c) => {
  const { metadata } = await jsonBody(c, metadataBody);
  checkMetadataCount(metadata);
  await oneServer(c);
  return c.json({
    metadata: (await updateServer(callerOf(c), c.req.param('server_id'), { metadata, replaceMetadata: true })).metadata,
  });
});

serverRoutes.get('/servers/:server_id/metadata/:key', act('ecs:servers:get'), async (c) => {
  const { s } = await oneServer(c);
  const key = c.req.param('key');
  if (!(key in s.metadata)) throw notFound(`Metadata item was not found: ${key}`);
  return c.json({ meta: { [key]: s.metadata[key] } });
});

serverRoutes.put('/servers/:server_id/metadata/:key', act('ecs:servers:update'), async (c) => {
  const { meta } = await jsonBody(c, metaItemBody);
  const key = c.req.param('key');
  if (Object.keys(meta).length !== 1 || !(key in meta))
    throw badRequest('Request body and URI mismatch: the body names exactly the key in the path.');
  await oneServer(c);
  await updateServer(callerOf(c), c.req.param('server_id'), { metadata: meta });
  return c.json({ meta });
});

serverRoutes.delete('/servers/:server_id/metadata/:key', act('ecs:servers:update'), async (c) => {
  await oneServer(c);
  await updateServer(callerOf(c), c.req.param('server_id'), { deleteKey: c.req.param('key') });
  return c.body(null, 204);
});
