/**
 * Native `/v1/{project_id}/publicips`: Elastic IPs from the region's pool with their bandwidth, DOWN while
 * unbound and ACTIVE while bound to a port (`PUT` with a `port_id`; without one, or null, it unbinds).
 */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { projectScope } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { allocateEip, bindEip, listEips, releaseEip } from '../usecases/eips.ts';
import { nativeRouter } from './errors.ts';
import { enterpriseProject, name } from './fields.ts';
import { nativeList } from './list.ts';
import { publicIpView } from './views.ts';

const bandwidth = z
  .object({
    id: z.string().min(1).optional(),
    name: name.min(1).optional(),
    size: z.number().int().optional(),
    share_type: z.enum(['PER', 'WHOLE']),
    charge_mode: z.enum(['traffic', 'bandwidth']).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    // A dedicated bandwidth is made with the EIP and needs its name and size; a shared one is named by id.
    if (b.share_type === 'WHOLE' && !b.id)
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'a WHOLE (shared) bandwidth is given by id' });
    if (b.share_type === 'PER' && b.id)
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'a PER bandwidth is created with the EIP, not given by id' });
    for (const field of ['name', 'size'] as const)
      if (b.share_type === 'PER' && b[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'required for a PER bandwidth' });
  });
const createBody = z
  .object({
    publicip: z.object({ type: z.string().min(1), ip_version: z.literal(4).optional(), ip_address: z.string().min(1).optional() }).strict(),
    bandwidth,
    enterprise_project_id: enterpriseProject,
  })
  .strict();
const updateBody = z
  .object({ publicip: z.object({ port_id: z.string().nullable().optional(), ip_version: z.literal(4).optional() }).strict() })
  .strict();

async function publicIpItems(c: AppContext) {
  const { projectId } = projectScope(c);
  const { eips, bandwidths } = await listEips(callerOf(c));
  return eips.map((e) =>
    publicIpView(
      projectId,
      e,
      bandwidths.find((b) => b.id === e.bandwidthId),
    ),
  );
}

async function one(c: AppContext, id: string) {
  const found = (await publicIpItems(c)).find((e) => e.id === id);
  if (!found) throw notFound(`Public IP ${id} could not be found.`, 'FloatingIPNotFound');
  return found;
}

export const publicIpRoutes = nativeRouter('publicips');

publicIpRoutes.post('/publicips', act('eip:publicips:create'), async (c) => {
  const { publicip: p, bandwidth: b } = await jsonBody(c, createBody);
  const id = await allocateEip(callerOf(c), {
    type: p.type,
    bandwidth: { id: b.id, name: b.name, size: b.size, shareType: b.share_type, chargeMode: b.charge_mode },
    address: p.ip_address,
  });
  return c.json({ publicip: await one(c, id) });
});

publicIpRoutes.get('/publicips', act('eip:publicips:list'), async (c) =>
  c.json({ publicips: nativeList(c, await publicIpItems(c), ['id', 'port_id', 'public_ip_address', 'private_ip_address']) }),
);

publicIpRoutes.get('/publicips/:publicip_id', act('eip:publicips:get'), async (c) =>
  c.json({ publicip: await one(c, c.req.param('publicip_id')) }),
);

publicIpRoutes.put('/publicips/:publicip_id', act('eip:publicips:update'), async (c) => {
  const { publicip: p } = await jsonBody(c, updateBody);
  const id = c.req.param('publicip_id');
  // Clients unbind with `{"publicip": {}}` (Terraform's empty port_id) as well as with an explicit null.
  await bindEip(callerOf(c), id, p.port_id || null);
  return c.json({ publicip: await one(c, id) });
});

publicIpRoutes.delete('/publicips/:publicip_id', act('eip:publicips:delete'), async (c) => {
  await releaseEip(callerOf(c), c.req.param('publicip_id'));
  return c.body(null, 204);
});
