/** Neutron `/v2.0/ports`: fixed IPs, MAC addresses, security groups, allowed address pairs. */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import { type AppContext, router } from '../../lib/app.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { isExternalNetwork } from '../external.ts';
import { createBody } from './bulk.ts';
import { neutronFields, neutronList } from './list.ts';
import { ownerFields, requireOwnProject } from './owner.ts';
import { portView } from './views.ts';

const fixedIp = z.object({ subnet_id: z.string().optional(), ip_address: z.string().optional() }).strict();
const pair = z.object({ ip_address: z.string(), mac_address: z.string().optional() }).strict();
const portFields = {
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  admin_state_up: z.boolean().optional(),
  fixed_ips: z.array(fixedIp).max(10).optional(),
  device_owner: z.string().max(255).optional(),
  device_id: z.string().max(255).optional(),
  security_groups: z.array(z.string()).max(10).optional(),
  allowed_address_pairs: z.array(pair).max(10).optional(),
  port_security_enabled: z.boolean().optional(),
  'binding:vnic_type': z.literal('normal').optional(),
  'binding:host_id': z.string().optional(),
  'binding:profile': z.record(z.string(), z.unknown()).optional(),
};
const portItem = z
  .object({
    ...portFields,
    network_id: z.string().min(1),
    mac_address: z.string().optional(),
    ...ownerFields,
  })
  .strict();

const updatePort = z.object({ port: z.object(portFields).strict() });

async function portItems(c: AppContext) {
  const { projectId } = projectScope(c);
  const { ports } = await tenant(c).list(['ports']);
  return ports.map((p) => portView(projectId, p));
}

export const portRoutes = router();

portRoutes.get('/ports', act('vpc:ports:list'), async (c) => c.json(neutronList(c, 'ports', await portItems(c))));

portRoutes.get('/ports/:id', act('vpc:ports:get'), async (c) => {
  const found = (await portItems(c)).find((p) => p.id === c.req.param('id'));
  if (!found) throw notFound(`Port ${c.req.param('id')} could not be found.`, 'PortNotFound');
  return c.json({ port: neutronFields(c, found) });
});

/** A port of a create, checked against what the door refuses before the TenantDO sees it. */
function portInput(c: AppContext, p: z.output<typeof portItem>) {
  requireOwnProject(c, p);
  if (isExternalNetwork(projectScope(c).region, p.network_id))
    throw forbidden('Ports on the external network are made by Elastic IPs only.');
  return { id: crypto.randomUUID(), networkId: p.network_id, macAddress: p.mac_address, ...portChanges(p) };
}

/** The fields a create and an update share, in the TenantDO's names. */
function portChanges(p: z.output<typeof updatePort>['port']) {
  return {
    name: p.name,
    description: p.description,
    adminStateUp: p.admin_state_up,
    fixedIps: p.fixed_ips,
    deviceOwner: p.device_owner,
    deviceId: p.device_id,
    securityGroups: p.security_groups,
    allowedAddressPairs: p.allowed_address_pairs,
    portSecurityEnabled: p.port_security_enabled,
  };
}

portRoutes.post('/ports', act('vpc:ports:create'), async (c) => {
  const { items, bulk } = await createBody(c, 'port', 'ports', portItem);
  const rows = unwrap(await tenant(c).createPorts(items.map((p) => portInput(c, p))));
  const views = rows.map((row) => portView(projectScope(c).projectId, row));
  return c.json(bulk ? { ports: views } : { port: views[0] }, 201);
});

portRoutes.put('/ports/:id', act('vpc:ports:update'), async (c) => {
  const { port: p } = await jsonBody(c, updatePort);
  const row = unwrap(await tenant(c).updatePort(c.req.param('id'), portChanges(p)));
  return c.json({ port: portView(projectScope(c).projectId, row) });
});

portRoutes.delete('/ports/:id', act('vpc:ports:delete'), async (c) => {
  unwrap(await tenant(c).deletePort(c.req.param('id')));
  return c.body(null, 204);
});
