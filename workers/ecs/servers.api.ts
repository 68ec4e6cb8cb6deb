/** Nova `/servers`: create (queued build), list, show, update, delete, metadata, interfaces, addresses. */
import { z } from 'zod';
import type { Server } from '../../schema/tenant.ts';
import zoneSeed from '../../seed/regions.json';
import { act } from '../auth/middleware.ts';
import { catalogueFlavors, catalogueImages } from '../directory/catalogue.ts';
import { type AppContext, router } from '../lib/app.ts';
import { randomToken } from '../lib/crypto.ts';
import { ApiError, badRequest, notFound } from '../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { addresses, type ServerContext, serverRef, serverView } from './views.ts';

const MAX_USER_DATA = 32 * 1024;

const network = z.object({ uuid: z.string().optional(), port: z.string().optional(), fixed_ip: z.string().optional() }).strict();
const createBody = z
  .object({
    server: z
      .object({
        name: z.string().trim().min(1).max(255),
        imageRef: z.string().min(1),
        flavorRef: z.string().min(1),
        networks: z.union([z.array(network), z.enum(['auto', 'none'])]).optional(),
        security_groups: z.array(z.object({ name: z.string().min(1) }).strict()).optional(),
        key_name: z.string().optional(),
        user_data: z.string().optional(),
        metadata: z.record(z.string().max(255), z.string().max(255)).optional(),
        availability_zone: z.string().optional(),
        min_count: z.coerce.number().int().min(1).optional(),
        max_count: z.coerce.number().int().min(1).max(100).optional(),
        adminPass: z.string().optional(),
        config_drive: z.union([z.boolean(), z.string()]).optional(),
        'OS-DCF:diskConfig': z.enum(['AUTO', 'MANUAL']).optional(),
        accessIPv4: z.string().optional(),
        accessIPv6: z.string().optional(),
        return_reservation_id: z.boolean().optional(),
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
const updateBody = z.object({
  server: z
    .object({ name: z.string().trim().min(1).max(255).optional(), accessIPv4: z.string().optional(), accessIPv6: z.string().optional() })
    .strict(),
});

/** Everything a server view needs, in one read of the project. */
export async function serverContext(c: AppContext): Promise<ServerContext & { servers: Server[] }> {
  const { projectId } = projectScope(c);
  const r = await tenant(c).list(['servers', 'ports', 'networks', 'elastic_ips', 'security_groups']);
  return {
    origin: new URL(c.req.url).origin,
    projectId,
    servers: r.servers,
    ports: r.ports,
    networks: r.networks,
    eips: r.elastic_ips,
    groups: r.security_groups,
  };
}

/** One server of the caller's project, or 404 (another project's is as missing as a deleted one). */
export async function oneServer(c: AppContext) {
  const ctx = await serverContext(c);
  const s = ctx.servers.find((x) => x.id === c.req.param('server_id'));
  if (!s) throw notFound(`Instance ${c.req.param('server_id')} could not be found.`);
  return { ctx, s };
}

function zonesOf(region: string): string[] {
  return zoneSeed.find((r) => r.id === region)?.zones ?? [];
}

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

/**
 * How many of the `count` servers asked the project's compute quota lets in: as many as fit, if at least
 * `min` do (Nova's rule), else a 403 before anything is written.
 */
async function quotaRoom(c: AppContext, flavor: { vcpus: number; ramMb: number }, count: number, min: number): Promise<number> {
  const { limits, usage } = unwrap(await tenant(c).computeQuotas());
  const each = { instances: 1, cores: flavor.vcpus, ram: flavor.ramMb } as const;
  const room = (k: keyof typeof each) => (limits[k] < 0 ? count : Math.max(0, Math.floor((limits[k] - usage[k]) / each[k])));
  const short = (Object.keys(each) as (keyof typeof each)[]).find((k) => room(k) < min);
  if (short) {
    throw new ApiError(
      403,
      `Quota exceeded for ${short}: Requested ${min * each[short]}, but already used ${usage[short]} of ${limits[short]} ${short}.`,
    );
  }
  return Math.min(count, room('instances'), room('cores'), room('ram'));
}

export const serverRoutes = router();

serverRoutes.post('/servers', act('ecs:servers:create'), async (c) => {
  const body = await jsonBody(c, createBody);
  const s = body.server;
  const hints = body['os:scheduler_hints'] ?? {};
  const { projectId, region } = projectScope(c);
  const flavor = (await catalogueFlavors(c.env)).find((f) => f.id === s.flavorRef || f.name === s.flavorRef);
  if (!flavor) throw badRequest(`Flavor ${s.flavorRef} could not be found.`);
  const image = (await catalogueImages(c.env)).find((i) => i.id === s.imageRef);
  if (!image) throw badRequest(`Image ${s.imageRef} could not be found.`);
  const baremetal = flavor.category === 'baremetal';
  if (baremetal !== (image.virtualEnvType === 'Ironic')) {
    throw badRequest(
      baremetal
        ? `Flavor ${flavor.name} is a bare-metal flavor: it needs a bare-metal (Ironic) image.`
        : `Image ${image.name} is a bare-metal image: it needs a physical.* flavor.`,
    );
  }
  if (image.minRamMb > flavor.ramMb) throw badRequest(`Flavor's memory is too small for requested image ${image.name}.`);
  const zones = zonesOf(region);
  if (s.availability_zone && !zones.includes(s.availability_zone))
    throw badRequest(`The requested availability zone ${s.availability_zone} is not available.`);
  const asked = s.max_count ?? s.min_count ?? 1;
  if ((s.min_count ?? 1) > asked) throw badRequest('min_count must be <= max_count.');
  const userData = decodeUserData(s.user_data);
  const nics =
    s.networks === undefined || s.networks === 'auto'
      ? []
      : s.networks === 'none'
        ? null
        : s.networks.map((n) => ({ networkId: n.uuid, portId: n.port, fixedIp: n.fixed_ip }));
  if (nics?.some((n) => !n.networkId && !n.portId)) throw badRequest('Each network needs a uuid or a port.');
  const metadata = s.metadata ?? {};
  const schedulerHints = { tenancy: hints.tenancy, dedicatedHostId: hints.dedicated_host_id };
  const adminPass = s.adminPass ?? randomToken(9);
  const stub = tenant(c);
  const count = await quotaRoom(c, flavor, asked, s.min_count ?? 1);
  let first: { id: string; securityGroups: string[] } | undefined;
  for (let i = 0; i < count; i++) {
    const id = crypto.randomUUID();
    const created = unwrap(
      await stub.createServer(projectId, {
        id,
        name: count > 1 ? `${s.name}-${i + 1}` : s.name,
        userId: c.var.principal.userId,
        flavor: { id: flavor.id, vcpus: flavor.vcpus, ramMb: flavor.ramMb, diskGb: Math.max(flavor.diskGb, image.minDiskGb) },
        imageId: image.id,
        zone: s.availability_zone ?? zones[Number.parseInt(id.slice(0, 2), 16) % zones.length]!,
        nics: nics ?? [],
        noNetwork: nics === null,
        securityGroups: (s.security_groups ?? []).map((g) => g.name),
        keyName: s.key_name,
        userData,
        adminPass,
        metadata,
        hints: schedulerHints,
        serverGroupId: hints.group ?? null,
      }),
    );
    first ??= created;
  }
  const origin = new URL(c.req.url).origin;
  const { security_groups } = await stub.list(['security_groups']);
  const server = first!;
  return c.json(
    {
      server: {
        id: server.id,
        links: [
          { rel: 'self', href: `${origin}/ecs/v2.1/${projectId}/servers/${server.id}` },
          { rel: 'bookmark', href: `${origin}/ecs/${projectId}/servers/${server.id}` },
        ],
        'OS-DCF:diskConfig': s['OS-DCF:diskConfig'] ?? 'MANUAL',
        security_groups: server.securityGroups.map((g) => ({ name: security_groups.find((x) => x.id === g)?.name ?? g })),
        adminPass,
      },
    },
    202,
  );
});

/** Nova's list filters (name is a regular expression), newest first, with limit/marker. */
function listed(c: AppContext, ctx: Awaited<ReturnType<typeof serverContext>>) {
  const q = c.req.query();
  let rows = [...ctx.servers].sort((a, b) =>
    a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt),
  );
  if (q.name) {
    let re: RegExp;
    try {
      re = new RegExp(q.name);
    } catch {
      throw badRequest(`Invalid name filter ${q.name}.`);
    }
    rows = rows.filter((s) => re.test(s.name));
  }
  if (q.status) rows = rows.filter((s) => s.status === q.status!.toUpperCase());
  if (q.flavor) rows = rows.filter((s) => s.flavorId === q.flavor);
  if (q.image) rows = rows.filter((s) => s.imageId === q.image);
  if (q['changes-since']) rows = rows.filter((s) => s.updatedAt >= new Date(q['changes-since']!).toISOString());
  if (q.ip) rows = rows.filter((s) => JSON.stringify(addresses(ctx, s)).includes(q.ip!));
  if (q.marker) {
    const at = rows.findIndex((s) => s.id === q.marker);
    if (at < 0) throw badRequest(`marker [${q.marker}] not found`);
    rows = rows.slice(at + 1);
  }
  let next: string | undefined;
  if (q.limit !== undefined) {
    const limit = Number(q.limit);
    if (!Number.isInteger(limit) || limit < 0) throw badRequest(`Invalid limit ${q.limit}.`);
    if (rows.length > limit) {
      rows = rows.slice(0, limit);
      const url = new URL(c.req.url);
      url.searchParams.set('marker', rows.at(-1)!.id);
      next = url.toString();
    }
  }
  return { rows, links: next ? { servers_links: [{ rel: 'next', href: next }] } : {} };
}

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
  const { server: patch } = await jsonBody(c, updateBody);
  const { ctx } = await oneServer(c);
  const s = unwrap(await tenant(c).updateServer(c.req.param('server_id'), { name: patch.name }));
  return c.json({ server: serverView(ctx, s) });
});

serverRoutes.delete('/servers/:server_id', act('ecs:servers:delete'), async (c) => {
  await oneServer(c);
  unwrap(await tenant(c).deleteServer(projectScope(c).projectId, c.req.param('server_id')));
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

const metadataBody = z.object({ metadata: z.record(z.string().min(1).max(255), z.string().max(255)) }).strict();
const metaItemBody = z.object({ meta: z.record(z.string().min(1).max(255), z.string().max(255)) }).strict();

serverRoutes.get('/servers/:server_id/metadata', act('ecs:servers:get'), async (c) =>
  c.json({ metadata: (await oneServer(c)).s.metadata }),
);

serverRoutes.post('/servers/:server_id/metadata', act('ecs:servers:update'), async (c) => {
  const { metadata } = await jsonBody(c, metadataBody);
  await oneServer(c);
  return c.json({ metadata: unwrap(await tenant(c).updateServer(c.req.param('server_id'), { metadata })).metadata });
});

serverRoutes.put('/servers/:server_id/metadata', act('ecs:servers:update'), async (c) => {
  const { metadata } = await jsonBody(c, metadataBody);
  await oneServer(c);
  return c.json({ metadata: unwrap(await tenant(c).updateServer(c.req.param('server_id'), { metadata, replaceMetadata: true })).metadata });
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
  unwrap(await tenant(c).updateServer(c.req.param('server_id'), { metadata: meta }));
  return c.json({ meta });
});

serverRoutes.delete('/servers/:server_id/metadata/:key', act('ecs:servers:update'), async (c) => {
  await oneServer(c);
  unwrap(await tenant(c).updateServer(c.req.param('server_id'), { deleteKey: c.req.param('key') }));
  return c.body(null, 204);
});
