/** Neutron `/v2.0/floatingips`: Elastic IPs from the region's pool, bound to ports. */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import { type AppContext, router } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { projectScope } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { externalNetwork } from '../external.ts';
import { allocateEip, bindEip, listEips, releaseEip } from '../usecases/eips.ts';
import { neutronFields, neutronList } from './list.ts';
import { ownerFields, requireOwnProject } from './owner.ts';
import { floatingIpView } from './views.ts';

const createBody = z.object({
  floatingip: z
    .object({
      floating_network_id: z.string().min(1),
      floating_ip_address: z.string().optional(),
      port_id: z.string().nullable().optional(),
      fixed_ip_address: z.string().optional(),
      description: z.string().max(255).optional(),
      ...ownerFields,
      subnet_id: z.string().optional(),
    })
    .strict(),
});
const updateBody = z.object({
  floatingip: z
    .object({
      port_id: z.string().nullable().optional(),
      fixed_ip_address: z.string().optional(),
      description: z.string().max(255).optional(),
    })
    .strict(),
});

/** Shapes Elastic IPs with the router of the network their port is on. */
export async function floatingIpItems(c: AppContext) {
  const { projectId, region } = projectScope(c);
  const { eips, ports, networks, bandwidths } = await listEips(callerOf(c));
  const ext = externalNetwork(region).id;
  return eips.map((e) => {
    const port = ports.find((p) => p.id === e.portId);
    const vpcId = networks.find((n) => n.id === port?.networkId)?.vpcId ?? null;
    return floatingIpView(
      projectId,
      e,
      ext,
      vpcId,
      bandwidths.find((b) => b.id === e.bandwidthId),
    );
  });
}

async function one(c: AppContext, id: string) {
  const found = (await floatingIpItems(c)).find((f) => f.id === id);
  if (!found) throw notFound(`Floating IP ${id} could not be found`, 'FloatingIPNotFound');
  return found;
}

export const floatingIpRoutes = router();

floatingIpRoutes.get('/floatingips', act('eip:floatingips:list'), async (c) =>
  c.json(neutronList(c, 'floatingips', await floatingIpItems(c))),
);

floatingIpRoutes.get('/floatingips/:id', act('eip:floatingips:get'), async (c) =>
  c.json({ floatingip: neutronFields(c, await one(c, c.req.param('id'))) }),
);

floatingIpRoutes.post('/floatingips', act('eip:floatingips:create'), async (c) => {
  const { floatingip: f } = await jsonBody(c, createBody);
  requireOwnProject(c, f);
  if (f.floating_network_id !== externalNetwork(projectScope(c).region).id)
    throw badRequest(`Network ${f.floating_network_id} is not a valid external network.`, 'BadRequest');
  const id = await allocateEip(callerOf(c), {
    description: f.description,
    bandwidth: { shareType: 'PER', size: 5, chargeMode: 'traffic' },
    address: f.floating_ip_address,
    portId: f.port_id ?? undefined,
    fixedIp: f.fixed_ip_address,
  });
  return c.json({ floatingip: await one(c, id) }, 201);
});

floatingIpRoutes.put('/floatingips/:id', act('eip:floatingips:update'), async (c) => {
  const { floatingip: f } = await jsonBody(c, updateBody);
  const id = c.req.param('id');
  if (f.port_id !== undefined) await bindEip(callerOf(c), id, f.port_id, f.fixed_ip_address);
  return c.json({ floatingip: await one(c, id) });
});

floatingIpRoutes.delete('/floatingips/:id', act('eip:floatingips:delete'), async (c) => {
  await releaseEip(callerOf(c), c.req.param('id'));
  return c.body(null, 204);
});
