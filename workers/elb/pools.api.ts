/**
 * `/v2.0/lbaas/pools` and their members at `/pools/{pool_id}/members`: the algorithm and session persistence
 * the data plane follows, and the backends it sends to. Each write takes the load balancer's lock (409 while it is
 * pending) and answers with the object pending.
 */
import { z } from 'zod';
import { LB_ALGORITHMS, PERSISTENCE_TYPES, POOL_PROTOCOLS } from '../../core/elb/states.ts';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { badRequest } from '../lib/errors.ts';
import { tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { common, fields, graph, octaviaList, one, owner, requireOwn } from './context.ts';

const persistence = z
  .object({
    type: z.enum(PERSISTENCE_TYPES),
    cookie_name: z.string().max(255).nullish(),
    persistence_timeout: z.number().int().min(1).nullish(),
    persistence_granularity: z.string().nullish(),
  })
  .strict()
  .nullish();
const poolMutable = { ...common, lb_algorithm: z.enum(LB_ALGORITHMS).optional(), session_persistence: persistence };
const createPool = z.object({
  pool: z
    .object({
      ...poolMutable,
      ...owner,
      lb_algorithm: z.enum(LB_ALGORITHMS),
      protocol: z.enum(POOL_PROTOCOLS),
      listener_id: z.string().optional(),
      loadbalancer_id: z.string().optional(),
    })
    .strict(),
});
const updatePool = z.object({ pool: z.object(poolMutable).strict() });

const memberMutable = {
  ...common,
  weight: z.number().int().min(0).max(256).optional(),
  backup: z.boolean().optional(),
  monitor_address: z.ipv4().nullish(),
  monitor_port: z.number().int().min(1).max(65535).nullish(),
};
const createMember = z.object({
  member: z
    .object({
      ...memberMutable,
      ...owner,
      address: z.ipv4(),
      protocol_port: z.number().int().min(1).max(65535),
      subnet_id: z.string().nullish(),
    })
    .strict(),
});
const updateMember = z.object({ member: z.object(memberMutable).strict() });

const sessionOf = (p: z.infer<typeof persistence>) =>
  p ? { type: p.type, cookie_name: p.cookie_name ?? null, persistence_timeout: p.persistence_timeout ?? null } : null;

export const poolRoutes = router();

poolRoutes.get('/pools', act('elb:pools:list'), async (c) => {
  const { g, v } = await graph(c);
  return c.json(octaviaList(c, 'pools', g.pools.map(v.pool)));
});

poolRoutes.post('/pools', act('elb:pools:create'), async (c) => {
  const { pool: b } = await jsonBody(c, createPool);
  requireOwn(c, b);
  if (!b.listener_id === !b.loadbalancer_id)
    throw badRequest('Validation failure: Exactly one of listener_id or loadbalancer_id must be given.');
  const row = unwrap(
    await tenant(c).createPool({
      id: crypto.randomUUID(),
      listenerId: b.listener_id,
      loadbalancerId: b.loadbalancer_id,
      name: b.name ?? '',
      description: b.description ?? '',
      protocol: b.protocol,
      lbAlgorithm: b.lb_algorithm,
      adminStateUp: b.admin_state_up ?? true,
      sessionPersistence: sessionOf(b.session_persistence),
      tags: b.tags ?? [],
    }),
  );
  const { g, v } = await graph(c);
  return c.json({ pool: v.pool(one(g.pools, 'Pool', row.id)) }, 201);
});

poolRoutes.get('/pools/:id', act('elb:pools:get'), async (c) => {
  const { g, v } = await graph(c);
  return c.json({ pool: fields(c, v.pool(one(g.pools, 'Pool', c.req.param('id')))) });
});

poolRoutes.put('/pools/:id', act('elb:pools:update'), async (c) => {
  const { pool: b } = await jsonBody(c, updatePool);
  const id = c.req.param('id');
  unwrap(
    await tenant(c).updatePool(id, {
      name: b.name ?? undefined,
      description: b.description ?? undefined,
      adminStateUp: b.admin_state_up,
      lbAlgorithm: b.lb_algorithm,
      sessionPersistence: b.session_persistence === undefined ? undefined : sessionOf(b.session_persistence),
      tags: b.tags,
    }),
  );
  const { g, v } = await graph(c);
  return c.json({ pool: v.pool(one(g.pools, 'Pool', id)) });
});

poolRoutes.delete('/pools/:id', act('elb:pools:delete'), async (c) => {
  unwrap(await tenant(c).deletePool(c.req.param('id')));
  return c.body(null, 204);
});

poolRoutes.get('/pools/:pool_id/members', act('elb:members:list'), async (c) => {
  const { g, v } = await graph(c);
  const p = one(g.pools, 'Pool', c.req.param('pool_id'));
  return c.json(octaviaList(c, 'members', g.members.filter((m) => m.poolId === p.id).map(v.member)));
});

poolRoutes.post('/pools/:pool_id/members', act('elb:members:create'), async (c) => {
  const { member: b } = await jsonBody(c, createMember);
  requireOwn(c, b);
  const poolId = c.req.param('pool_id');
  const row = unwrap(
    await tenant(c).createMember({
      id: crypto.randomUUID(),
      poolId,
      name: b.name ?? '',
      address: b.address,
      protocolPort: b.protocol_port,
      weight: b.weight ?? 1,
      subnetId: b.subnet_id,
      adminStateUp: b.admin_state_up ?? true,
      backup: b.backup ?? false,
      monitorAddress: b.monitor_address,
      monitorPort: b.monitor_port,
      tags: b.tags ?? [],
    }),
  );
  const { g, v } = await graph(c);
  return c.json({ member: v.member(one(g.members, 'Member', row.id)) }, 201);
});

/** The member the path names, in the pool it names. */
async function memberOfPath(c: AppContext) {
  const { g, v } = await graph(c);
  const p = one(g.pools, 'Pool', c.req.param('pool_id') ?? '');
  const m = one(
    g.members.filter((x) => x.poolId === p.id),
    'Member',
    c.req.param('id') ?? '',
  );
  return { m, v };
}

poolRoutes.get('/pools/:pool_id/members/:id', act('elb:members:get'), async (c) => {
  const { m, v } = await memberOfPath(c);
  return c.json({ member: fields(c, v.member(m)) });
});

poolRoutes.put('/pools/:pool_id/members/:id', act('elb:members:update'), async (c) => {
  const { member: b } = await jsonBody(c, updateMember);
  const poolId = c.req.param('pool_id');
  const id = c.req.param('id');
  unwrap(
    await tenant(c).updateMember(poolId, id, {
      name: b.name ?? undefined,
      weight: b.weight,
      adminStateUp: b.admin_state_up,
      backup: b.backup,
      monitorAddress: b.monitor_address,
      monitorPort: b.monitor_port,
      tags: b.tags,
    }),
  );
  const { m, v } = await memberOfPath(c);
  return c.json({ member: v.member(m) });
});

poolRoutes.delete('/pools/:pool_id/members/:id', act('elb:members:delete'), async (c) => {
  unwrap(await tenant(c).deleteMember(c.req.param('pool_id'), c.req.param('id')));
  return c.body(null, 204);
});
