/** The operator's side of the zones' storage pools: change a pool's capacity, take it out of service. */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { family, router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';

const body = z
  .object({ pool: z.object({ capacity_gb: z.number().int().min(0).optional(), enabled: z.boolean().optional() }).strict() })
  .strict();

export const poolRoutes = router();
poolRoutes.use(family('native'));

poolRoutes.put('/zones/:zone/pools/:volume_type', act('evs:pools:update'), async (c) => {
  const { pool } = await jsonBody(c, body);
  const zone = c.req.param('zone');
  const updated = unwrap(
    await c.env.ZONE.getByName(zone).setStoragePool(c.req.param('volume_type'), { capacityGb: pool.capacity_gb, enabled: pool.enabled }),
  );
  if (!updated) throw notFound(`Zone ${zone} has no ${c.req.param('volume_type')} pool.`);
  return c.json({
    pool: { zone, volume_type: updated.volumeType, capacity_gb: updated.capacityGb, used_gb: updated.usedGb, enabled: updated.enabled },
  });
});
