/**
 * VPC peering (`/v2.0/vpc/peerings`) and routes through peerings (`/v2.0/vpc/routes`), Flexible Engine's
 * Neutron-style extension. A peering to another project waits for that project to accept it.
 */
import { z } from 'zod';
import type { Peering, VpcRoute } from '../../../schema/tenant.ts';
import { act } from '../../auth/middleware.ts';
import { type AppContext, router } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { answerPeering, createPeering, deletePeering, listPeerings, ownVpcOf, updatePeering } from '../usecases/peerings.ts';
import { neutronFields, neutronList } from './list.ts';

const side = z.object({ vpc_id: z.string().min(1), tenant_id: z.string().min(1).optional() }).strict();
const createBody = z.object({
  peering: z
    .object({ name: z.string().min(1).max(64), description: z.string().max(255).optional(), request_vpc_info: side, accept_vpc_info: side })
    .strict(),
});
const updateBody = z.object({
  peering: z.object({ name: z.string().min(1).max(64).optional(), description: z.string().max(255).optional() }).strict(),
});
const routeBody = z.object({
  route: z
    .object({ type: z.literal('peering'), nexthop: z.string().min(1), destination: z.string().min(1), vpc_id: z.string().min(1) })
    .strict(),
});

const time = (t: string) => t.replace(/\.\d{3}Z$/, 'Z');

function peeringView(p: Peering) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    status: p.status,
    request_vpc_info: p.requestVpc,
    accept_vpc_info: p.acceptVpc,
    created_at: time(p.createdAt),
    updated_at: time(p.updatedAt),
  };
}

function routeView(projectId: string, r: VpcRoute) {
  return { id: r.id, type: r.type, nexthop: r.nexthop, destination: r.destination, vpc_id: r.vpcId, tenant_id: projectId };
}

/** Peerings as this project sees them; `vpc_id` and `tenant_id` (its own side) make them filterable as in Flexible Engine. */
async function peeringItems(c: AppContext) {
  return (await listPeerings(callerOf(c))).map((p) => ({
    ...peeringView(p),
    vpc_id: ownVpcOf(p),
    tenant_id: projectScope(c).projectId,
  }));
}

export const peeringRoutes = router();

peeringRoutes.get('/vpc/peerings', act('vpc:peerings:list'), async (c) => c.json(neutronList(c, 'peerings', await peeringItems(c))));

peeringRoutes.get('/vpc/peerings/:id', act('vpc:peerings:get'), async (c) => {
  const found = (await peeringItems(c)).find((p) => p.id === c.req.param('id'));
  if (!found) throw notFound(`Peering ${c.req.param('id')} could not be found.`, 'PeeringNotFound');
  return c.json({ peering: neutronFields(c, found) });
});

peeringRoutes.post('/vpc/peerings', act('vpc:peerings:create'), async (c) => {
  const { peering: p } = await jsonBody(c, createBody);
  const row = await createPeering(callerOf(c), {
    name: p.name,
    description: p.description,
    requestVpcId: p.request_vpc_info.vpc_id,
    requestProjectId: p.request_vpc_info.tenant_id,
    acceptVpcId: p.accept_vpc_info.vpc_id,
    acceptProjectId: p.accept_vpc_info.tenant_id,
  });
  return c.json({ peering: peeringView(row) }, 201);
});

peeringRoutes.put('/vpc/peerings/:id', act('vpc:peerings:update'), async (c) => {
  const { peering: p } = await jsonBody(c, updateBody);
  return c.json({ peering: peeringView(await updatePeering(callerOf(c), c.req.param('id'), p)) });
});

peeringRoutes.put('/vpc/peerings/:id/accept', act('vpc:peerings:update'), async (c) =>
  c.json(peeringView(await answerPeering(callerOf(c), c.req.param('id'), true))),
);

peeringRoutes.put('/vpc/peerings/:id/reject', act('vpc:peerings:update'), async (c) =>
  c.json(peeringView(await answerPeering(callerOf(c), c.req.param('id'), false))),
);

peeringRoutes.delete('/vpc/peerings/:id', act('vpc:peerings:delete'), async (c) => {
  await deletePeering(callerOf(c), c.req.param('id'));
  return c.body(null, 204);
});

async function routeItems(c: AppContext) {
  const { projectId } = projectScope(c);
  const { vpc_routes } = await tenant(c).list(['vpc_routes']);
  return vpc_routes.map((r) => routeView(projectId, r));
}

peeringRoutes.get('/vpc/routes', act('vpc:routes:list'), async (c) => c.json(neutronList(c, 'routes', await routeItems(c))));

peeringRoutes.get('/vpc/routes/:id', act('vpc:routes:get'), async (c) => {
  const found = (await routeItems(c)).find((r) => r.id === c.req.param('id'));
  if (!found) throw notFound(`Route ${c.req.param('id')} could not be found.`, 'RouteNotFound');
  return c.json({ route: neutronFields(c, found) });
});

peeringRoutes.post('/vpc/routes', act('vpc:routes:create'), async (c) => {
  const { route: r } = await jsonBody(c, routeBody);
  const row = unwrap(
    await tenant(c).createRoute({ id: crypto.randomUUID(), vpcId: r.vpc_id, destination: r.destination, nexthop: r.nexthop }),
  );
  return c.json({ route: routeView(projectScope(c).projectId, row) }, 201);
});

peeringRoutes.delete('/vpc/routes/:id', act('vpc:routes:delete'), async (c) => {
  unwrap(await tenant(c).deleteRoute(c.req.param('id')));
  return c.body(null, 204);
});
