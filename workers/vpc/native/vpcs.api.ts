/** Native `/v1/{project_id}/vpcs`: a VPC is CREATING when made, OK a moment later (the TenantDO's alarm). */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { tenant, unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { createVpc, deleteVpc, listVpcs } from '../usecases/vpcs.ts';
import { nativeRouter } from './errors.ts';
import { description, enterpriseProject, name } from './fields.ts';
import { nativeList } from './list.ts';
import { vpcView } from './views.ts';

const route = z.object({ destination: z.string().min(1), nexthop: z.string().min(1) }).strict();
const vpcFields = { name: name.optional(), cidr: z.string().min(1).optional(), description: description.optional() };
const createBody = z.object({ vpc: z.object({ ...vpcFields, enterprise_project_id: enterpriseProject }).strict() }).strict();
const updateBody = z.object({ vpc: z.object({ ...vpcFields, routes: z.array(route).max(200).optional() }).strict() }).strict();

async function vpcItems(c: AppContext) {
  return (await listVpcs(callerOf(c))).map(vpcView);
}

export const vpcRoutes = nativeRouter('vpcs');

vpcRoutes.post('/vpcs', act('vpc:vpcs:create'), async (c) => {
  const { vpc: v } = await jsonBody(c, createBody);
  const row = await createVpc(callerOf(c), { name: v.name ?? '', description: v.description, cidr: v.cidr });
  return c.json({ vpc: vpcView(row) });
});

vpcRoutes.get('/vpcs', act('vpc:vpcs:list'), async (c) => c.json({ vpcs: nativeList(c, await vpcItems(c), ['id']) }));

vpcRoutes.get('/vpcs/:vpc_id', act('vpc:vpcs:get'), async (c) => {
  const id = c.req.param('vpc_id');
  const found = (await vpcItems(c)).find((v) => v.id === id);
  if (!found) throw notFound(`VPC ${id} could not be found.`, 'RouterNotFound');
  return c.json({ vpc: found });
});

vpcRoutes.put('/vpcs/:vpc_id', act('vpc:vpcs:update'), async (c) => {
  const t = tenant(c);
  const { vpc: v } = await jsonBody(c, updateBody);
  const row = unwrap(await t.updateVpc(c.req.param('vpc_id'), v));
  return c.json({ vpc: vpcView(row) });
});

vpcRoutes.delete('/vpcs/:vpc_id', act('vpc:vpcs:delete'), async (c) => {
  await deleteVpc(callerOf(c), c.req.param('vpc_id'));
  return c.body(null, 204);
});
