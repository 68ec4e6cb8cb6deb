/** Neutron `/v2.0/networks` and `/v2.0/subnets`, over the TenantDO's networks and subnets. */
import { z } from 'zod';
import zones from '../../../seed/regions.json';
import { act } from '../../auth/middleware.ts';
import { type AppContext, router } from '../../lib/app.ts';
import { ApiError, forbidden, notFound } from '../../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { externalNetwork } from '../external.ts';
import { createBody } from './bulk.ts';
import { neutronFields, neutronList } from './list.ts';
import { ownerFields, requireOwnProject } from './owner.ts';
import { externalNetworkView, externalSubnetViews, networkView, subnetView } from './views.ts';

const networkFields = {
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  admin_state_up: z.boolean().optional(),
  mtu: z.number().int().min(68).max(9000).optional(),
  port_security_enabled: z.boolean().optional(),
  availability_zone_hints: z.array(z.string()).optional(),
};
const networkItem = z
  .object({ ...networkFields, ...ownerFields, shared: z.literal(false).optional(), 'router:external': z.literal(false).optional() })
  .strict();

const updateNetwork = z.object({ network: z.object(networkFields).strict() });

const pool = z.object({ start: z.string(), end: z.string() }).strict();
const route = z.object({ destination: z.string(), nexthop: z.string() }).strict();
const subnetFields = {
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  gateway_ip: z.string().nullable().optional(),
  enable_dhcp: z.boolean().optional(),
  dns_nameservers: z.array(z.string()).max(5).optional(),
  allocation_pools: z.array(pool).optional(),
  host_routes: z.array(route).max(20).optional(),
};
const subnetItem = z
  .object({
    ...subnetFields,
    ...ownerFields,
    network_id: z.string().min(1),
    cidr: z.string().min(1),
    ip_version: z.union([z.literal(4), z.literal(6)]).default(4),
    subnetpool_id: z.null().optional(),
    ipv6_ra_mode: z.null().optional(),
    ipv6_address_mode: z.null().optional(),
    service_types: z.array(z.string()).max(0).optional(),
  })
  .strict();

const updateSubnet = z.object({ subnet: z.object(subnetFields).strict() });

const zonesOf = (region: string) => zones.find((r) => r.id === region)?.zones ?? [];

async function networkItems(c: AppContext) {
  const { projectId, region } = projectScope(c);
  const { networks, subnets } = await tenant(c).list(['networks', 'subnets']);
  return [
    externalNetworkView(region),
    ...networks.map((n) =>
      networkView(
        projectId,
        n,
        subnets.filter((s) => s.networkId === n.id).map((s) => s.id),
        zonesOf(region),
      ),
    ),
  ];
}

async function subnetItems(c: AppContext) {
  const { projectId, region } = projectScope(c);
  const { subnets } = await tenant(c).list(['subnets']);
  return [...externalSubnetViews(region), ...subnets.map((s) => subnetView(projectId, s))];
}

export const networkRoutes = router();

networkRoutes.get('/networks', act('vpc:networks:list'), async (c) => c.json(neutronList(c, 'networks', await networkItems(c))));

networkRoutes.get('/networks/:id', act('vpc:networks:get'), async (c) => {
  const found = (await networkItems(c)).find((n) => n.id === c.req.param('id'));
  if (!found) throw notFound(`Network ${c.req.param('id')} could not be found.`, 'NetworkNotFound');
  return c.json({ network: neutronFields(c, found) });
});

networkRoutes.post('/networks', act('vpc:networks:create'), async (c) => {
  const { items, bulk } = await createBody(c, 'network', 'networks', networkItem);
  for (const n of items) requireOwnProject(c, n);
  const { projectId, region } = projectScope(c);
  const inputs = items.map((n) => ({
    id: crypto.randomUUID(),
    name: n.name ?? '',
    description: n.description,
    adminStateUp: n.admin_state_up,
    mtu: n.mtu,
    portSecurityEnabled: n.port_security_enabled,
  }));
  const rows = unwrap(await tenant(c).createNetworks(inputs));
  const views = rows.map((row) => networkView(projectId, row, [], zonesOf(region)));
  return c.json(bulk ? { networks: views } : { network: views[0] }, 201);
});

networkRoutes.put('/networks/:id', act('vpc:networks:update'), async (c) => {
  const { network: n } = await jsonBody(c, updateNetwork);
  const { projectId, region } = projectScope(c);
  if (externalNetwork(region).id === c.req.param('id')) throw forbidden('The external network cannot be changed.');
  const row = unwrap(
    await tenant(c).updateNetwork(c.req.param('id'), {
      name: n.name,
      description: n.description,
      adminStateUp: n.admin_state_up,
      mtu: n.mtu,
      portSecurityEnabled: n.port_security_enabled,
    }),
  );
  const { subnets } = await tenant(c).list(['subnets']);
  return c.json({
    network: networkView(
      projectId,
      row,
      subnets.filter((s) => s.networkId === row.id).map((s) => s.id),
      zonesOf(region),
    ),
  });
});

networkRoutes.delete('/networks/:id', act('vpc:networks:delete'), async (c) => {
  if (externalNetwork(projectScope(c).region).id === c.req.param('id')) throw forbidden('The external network cannot be deleted.');
  unwrap(await tenant(c).deleteNetwork(c.req.param('id')));
  return c.body(null, 204);
});

networkRoutes.get('/subnets', act('vpc:subnets:list'), async (c) => c.json(neutronList(c, 'subnets', await subnetItems(c))));

networkRoutes.get('/subnets/:id', act('vpc:subnets:get'), async (c) => {
  const found = (await subnetItems(c)).find((s) => s.id === c.req.param('id'));
  if (!found) throw notFound(`Subnet ${c.req.param('id')} could not be found.`, 'SubnetNotFound');
  return c.json({ subnet: neutronFields(c, found) });
});

/** A subnet of a create, checked against what the door refuses before the TenantDO sees it. */
function subnetInput(c: AppContext, s: z.output<typeof subnetItem>) {
  requireOwnProject(c, s);
  if (externalNetwork(projectScope(c).region).id === s.network_id) throw forbidden('Subnets cannot be added to the external network.');
  if (s.ip_version !== 4) throw new ApiError(400, 'Only IPv4 subnets are supported.', 'InvalidInput');
  return {
    id: crypto.randomUUID(),
    networkId: s.network_id,
    name: s.name ?? '',
    description: s.description,
    cidr: s.cidr,
    gatewayIp: s.gateway_ip,
    enableDhcp: s.enable_dhcp,
    dnsNameservers: s.dns_nameservers,
    allocationPools: s.allocation_pools,
    hostRoutes: s.host_routes,
  };
}

networkRoutes.post('/subnets', act('vpc:subnets:create'), async (c) => {
  const { items, bulk } = await createBody(c, 'subnet', 'subnets', subnetItem);
  const rows = unwrap(await tenant(c).createSubnets(items.map((s) => subnetInput(c, s))));
  const views = rows.map((row) => subnetView(projectScope(c).projectId, row));
  return c.json(bulk ? { subnets: views } : { subnet: views[0] }, 201);
});

networkRoutes.put('/subnets/:id', act('vpc:subnets:update'), async (c) => {
  const { subnet: s } = await jsonBody(c, updateSubnet);
  const row = unwrap(
    await tenant(c).updateSubnet(c.req.param('id'), {
      name: s.name,
      description: s.description,
      enableDhcp: s.enable_dhcp,
      dnsNameservers: s.dns_nameservers,
      hostRoutes: s.host_routes,
      gatewayIp: s.gateway_ip,
      allocationPools: s.allocation_pools,
    }),
  );
  return c.json({ subnet: subnetView(projectScope(c).projectId, row) });
});

networkRoutes.delete('/subnets/:id', act('vpc:subnets:delete'), async (c) => {
  unwrap(await tenant(c).deleteSubnet(c.req.param('id')));
  return c.body(null, 204);
});
