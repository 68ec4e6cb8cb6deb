/** Neutron `/v2.0/routers`: a VPC seen as a router, with interfaces on subnets, an external gateway and routes. */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import { type AppContext, router } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { externalNetwork } from '../external.ts';
import { createVpc, deleteVpc, listVpcs } from '../usecases/vpcs.ts';
import { neutronFields, neutronList } from './list.ts';
import { ownerFields, requireOwnProject } from './owner.ts';
import { routerView } from './views.ts';

// Neutron validates the gateway as dict_or_nodata: an empty object says "no gateway", as null does.
const gateway = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 ? null : v),
  z
    .object({ network_id: z.string(), enable_snat: z.boolean().optional(), external_fixed_ips: z.array(z.unknown()).optional() })
    .strict()
    .nullable(),
);
const route = z.object({ destination: z.string(), nexthop: z.string() }).strict();
const routerFields = {
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  admin_state_up: z.boolean().optional(),
  external_gateway_info: gateway.optional(),
};
const createRouter = z.object({
  router: z
    .object({
      ...routerFields,
      ...ownerFields,
      availability_zone_hints: z.array(z.string()).optional(),
      distributed: z.literal(false).optional(),
      ha: z.literal(false).optional(),
    })
    .strict(),
});
const updateRouter = z.object({ router: z.object({ ...routerFields, routes: z.array(route).max(100).optional() }).strict() });
const interfaceBody = z.object({ subnet_id: z.string().optional(), port_id: z.string().optional() }).strict();

function gatewayOf(c: AppContext, info: z.output<typeof gateway> | undefined) {
  if (info === undefined) return undefined;
  if (info === null) return null;
  const ext = externalNetwork(projectScope(c).region);
  if (info.network_id !== ext.id) throw badRequest(`Network ${info.network_id} is not an external network.`, 'BadRequest');
  return { networkId: ext.id, enableSnat: info.enable_snat ?? true };
}

async function routerItems(c: AppContext) {
  const { projectId, region } = projectScope(c);
  return (await listVpcs(callerOf(c))).map((v) => routerView(projectId, v, externalNetwork(region).id));
}

export const routerRoutes = router();

routerRoutes.get('/routers', act('vpc:routers:list'), async (c) => c.json(neutronList(c, 'routers', await routerItems(c))));

routerRoutes.get('/routers/:id', act('vpc:routers:get'), async (c) => {
  const found = (await routerItems(c)).find((r) => r.id === c.req.param('id'));
  if (!found) throw notFound(`Router ${c.req.param('id')} could not be found.`, 'RouterNotFound');
  return c.json({ router: neutronFields(c, found) });
});

routerRoutes.post('/routers', act('vpc:routers:create'), async (c) => {
  const { router: r } = await jsonBody(c, createRouter);
  requireOwnProject(c, r);
  const { projectId, region } = projectScope(c);
  const row = await createVpc(
    callerOf(c),
    { name: r.name ?? '', description: r.description, adminStateUp: r.admin_state_up, gateway: gatewayOf(c, r.external_gateway_info) },
    false,
  );
  return c.json({ router: routerView(projectId, row, externalNetwork(region).id) }, 201);
});

routerRoutes.put('/routers/:id', act('vpc:routers:update'), async (c) => {
  const { router: r } = await jsonBody(c, updateRouter);
  const { projectId, region } = projectScope(c);
  const row = unwrap(
    await tenant(c).updateVpc(c.req.param('id'), {
      name: r.name,
      description: r.description,
      adminStateUp: r.admin_state_up,
      routes: r.routes,
      gateway: gatewayOf(c, r.external_gateway_info),
    }),
  );
  return c.json({ router: routerView(projectId, row, externalNetwork(region).id) });
});

routerRoutes.delete('/routers/:id', act('vpc:routers:delete'), async (c) => {
  await deleteVpc(callerOf(c), c.req.param('id'));
  return c.body(null, 204);
});

routerRoutes.put('/routers/:id/add_router_interface', act('vpc:routers:update'), async (c) => {
  const body = await jsonBody(c, interfaceBody);
  if (!body.subnet_id || body.port_id) throw badRequest('Give subnet_id: an interface is made at the subnet gateway.', 'BadRequest');
  const port = unwrap(await tenant(c).addRouterInterface(c.req.param('id'), body.subnet_id, crypto.randomUUID()));
  const { projectId } = projectScope(c);
  return c.json({
    id: c.req.param('id'),
    tenant_id: projectId,
    project_id: projectId,
    port_id: port.id,
    network_id: port.networkId,
    subnet_id: body.subnet_id,
    subnet_ids: [body.subnet_id],
  });
});

routerRoutes.put('/routers/:id/remove_router_interface', act('vpc:routers:update'), async (c) => {
  const body = await jsonBody(c, interfaceBody);
  if (!body.subnet_id && !body.port_id) throw badRequest('Give subnet_id or port_id.', 'BadRequest');
  const port = unwrap(await tenant(c).removeRouterInterface(c.req.param('id'), { subnetId: body.subnet_id, portId: body.port_id }));
  const { projectId } = projectScope(c);
  const subnetId = port.fixedIps[0]?.subnet_id;
  return c.json({
    id: c.req.param('id'),
    tenant_id: projectId,
    project_id: projectId,
    port_id: port.id,
    network_id: port.networkId,
    subnet_id: subnetId,
    subnet_ids: subnetId ? [subnetId] : [],
  });
});
