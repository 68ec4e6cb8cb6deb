/**
 * `/v2.0/lbaas/listeners`: a protocol port of a load balancer and its default pool. Each write takes the load
 * balancer's lock (409 while it is pending) and answers with the listener pending.
 */
import { z } from 'zod';
import { LISTENER_PROTOCOLS } from '../../core/elb/states.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { common, fields, graph, octaviaList, one, owner, requireOwn } from './context.ts';

/** Listener fields both create and update take. */
const mutable = {
  ...common,
  connection_limit: z.number().int().min(-1).optional(),
  default_pool_id: z.string().nullish(),
  default_tls_container_ref: z.string().nullish(),
  sni_container_refs: z.array(z.string()).optional(),
  insert_headers: z.record(z.string(), z.string()).optional(),
  timeout_client_data: z.number().int().min(0).optional(),
  timeout_member_connect: z.number().int().min(0).optional(),
  timeout_member_data: z.number().int().min(0).optional(),
  timeout_tcp_inspect: z.number().int().min(0).optional(),
  allowed_cidrs: z.array(z.string()).nullish(),
  client_ca_tls_container_ref: z.string().nullish(),
  client_authentication: z.enum(['NONE', 'OPTIONAL', 'MANDATORY']).optional(),
};
const createBody = z.object({
  listener: z
    .object({
      ...mutable,
      ...owner,
      loadbalancer_id: z.string().min(1),
      protocol: z.enum(LISTENER_PROTOCOLS),
      protocol_port: z.number().int().min(1).max(65535),
    })
    .strict(),
});
const updateBody = z.object({ listener: z.object(mutable).strict() });

export const listenerRoutes = router();

listenerRoutes.get('/listeners', act('elb:listeners:list'), async (c) => {
  const { g, v } = await graph(c);
  return c.json(octaviaList(c, 'listeners', g.listeners.map(v.listener)));
});

listenerRoutes.post('/listeners', act('elb:listeners:create'), async (c) => {
  const { listener: b } = await jsonBody(c, createBody);
  requireOwn(c, b);
  const row = unwrap(
    await tenant(c).createListener({
      id: crypto.randomUUID(),
      loadbalancerId: b.loadbalancer_id,
      name: b.name ?? '',
      description: b.description ?? '',
      protocol: b.protocol,
      protocolPort: b.protocol_port,
      adminStateUp: b.admin_state_up ?? true,
      connectionLimit: b.connection_limit ?? -1,
      defaultPoolId: b.default_pool_id,
      defaultTlsContainerRef: b.default_tls_container_ref,
      sniContainerRefs: b.sni_container_refs ?? [],
      insertHeaders: b.insert_headers ?? {},
      tags: b.tags ?? [],
    }),
  );
  const { g, v } = await graph(c);
  return c.json({ listener: v.listener(one(g.listeners, 'Listener', row.id)) }, 201);
});

listenerRoutes.get('/listeners/:id', act('elb:listeners:get'), async (c) => {
  const { g, v } = await graph(c);
  return c.json({ listener: fields(c, v.listener(one(g.listeners, 'Listener', c.req.param('id')))) });
});

listenerRoutes.put('/listeners/:id', act('elb:listeners:update'), async (c) => {
  const { listener: b } = await jsonBody(c, updateBody);
  const id = c.req.param('id');
  unwrap(
    await tenant(c).updateListener(id, {
      name: b.name ?? undefined,
      description: b.description ?? undefined,
      adminStateUp: b.admin_state_up,
      connectionLimit: b.connection_limit,
      defaultPoolId: b.default_pool_id,
      defaultTlsContainerRef: b.default_tls_container_ref,
      sniContainerRefs: b.sni_container_refs,
      insertHeaders: b.insert_headers,
      tags: b.tags,
    }),
  );
  const { g, v } = await graph(c);
  return c.json({ listener: v.listener(one(g.listeners, 'Listener', id)) });
});

listenerRoutes.delete('/listeners/:id', act('elb:listeners:delete'), async (c) => {
  unwrap(await tenant(c).deleteListener(c.req.param('id')));
  return c.body(null, 204);
});
