/**
 * `/v2.0/lbaas/healthmonitors`: one per pool; its delay, timeout and retries drive the probes the TenantDO's alarm
 * sends to the members' guests. Each write takes the load balancer's lock and answers with the monitor pending.
 */
import { z } from 'zod';
import { MONITOR_TYPES } from '../../core/elb/states.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { common, fields, graph, octaviaList, one, owner, requireOwn } from './context.ts';

const mutable = {
  ...common,
  delay: z.number().int().min(0).optional(),
  timeout: z.number().int().min(0).optional(),
  max_retries: z.number().int().min(1).max(10).optional(),
  max_retries_down: z.number().int().min(1).max(10).optional(),
  http_method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'OPTIONS', 'PATCH', 'CONNECT']).nullish(),
  url_path: z.string().startsWith('/').max(2048).nullish(),
  expected_codes: z
    .string()
    .regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/)
    .nullish(),
  http_version: z.number().nullish(),
  domain_name: z.string().nullish(),
};
const createBody = z.object({
  healthmonitor: z
    .object({
      ...mutable,
      ...owner,
      pool_id: z.string().min(1),
      type: z.enum(MONITOR_TYPES),
      delay: z.number().int().min(0),
      timeout: z.number().int().min(0),
      max_retries: z.number().int().min(1).max(10),
    })
    .strict(),
});
const updateBody = z.object({ healthmonitor: z.object(mutable).strict() });

export const healthMonitorRoutes = router();

healthMonitorRoutes.get('/healthmonitors', act('elb:healthmonitors:list'), async (c) => {
  const { g, v } = await graph(c);
  return c.json(octaviaList(c, 'healthmonitors', g.healthmonitors.map(v.healthMonitor)));
});

healthMonitorRoutes.post('/healthmonitors', act('elb:healthmonitors:create'), async (c) => {
  const { healthmonitor: b } = await jsonBody(c, createBody);
  requireOwn(c, b);
  const row = unwrap(
    await tenant(c).createHealthMonitor({
      id: crypto.randomUUID(),
      poolId: b.pool_id,
      name: b.name ?? '',
      type: b.type,
      delay: b.delay,
      timeout: b.timeout,
      maxRetries: b.max_retries,
      maxRetriesDown: b.max_retries_down ?? 3,
      httpMethod: b.http_method,
      urlPath: b.url_path,
      expectedCodes: b.expected_codes,
      adminStateUp: b.admin_state_up ?? true,
      tags: b.tags ?? [],
    }),
  );
  const { g, v } = await graph(c);
  return c.json({ healthmonitor: v.healthMonitor(one(g.healthmonitors, 'Health Monitor', row.id)) }, 201);
});

healthMonitorRoutes.get('/healthmonitors/:id', act('elb:healthmonitors:get'), async (c) => {
  const { g, v } = await graph(c);
  return c.json({ healthmonitor: fields(c, v.healthMonitor(one(g.healthmonitors, 'Health Monitor', c.req.param('id')))) });
});

healthMonitorRoutes.put('/healthmonitors/:id', act('elb:healthmonitors:update'), async (c) => {
  const { healthmonitor: b } = await jsonBody(c, updateBody);
  const id = c.req.param('id');
  unwrap(
    await tenant(c).updateHealthMonitor(id, {
      name: b.name ?? undefined,
      delay: b.delay,
      timeout: b.timeout,
      maxRetries: b.max_retries,
      maxRetriesDown: b.max_retries_down,
      httpMethod: b.http_method,
      urlPath: b.url_path,
      expectedCodes: b.expected_codes,
      adminStateUp: b.admin_state_up,
      tags: b.tags,
    }),
  );
  const { g, v } = await graph(c);
  return c.json({ healthmonitor: v.healthMonitor(one(g.healthmonitors, 'Health Monitor', id)) });
});

healthMonitorRoutes.delete('/healthmonitors/:id', act('elb:healthmonitors:delete'), async (c) => {
  unwrap(await tenant(c).deleteHealthMonitor(c.req.param('id')));
  return c.body(null, 204);
});
