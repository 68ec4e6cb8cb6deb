/**
 * VPC, subnets, ports, routers, security groups and Elastic IPs, served under `/vpc`: Neutron at `/vpc/v2.0`
 * and the Flexible Engine native API at `/vpc/v1/{project_id}`, both views over the project's TenantDO.
 */
import { authenticated, publicRoute } from '../auth/middleware.ts';
import { family, router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { bandwidthRoutes } from './native/bandwidths.api.ts';
import { publicIpRoutes } from './native/publicips.api.ts';
import { securityGroupRoutes as nativeSecurityGroupRoutes } from './native/security-groups.api.ts';
import { subnetRoutes } from './native/subnets.api.ts';
import { vpcRoutes } from './native/vpcs.api.ts';
import { floatingIpRoutes } from './neutron/floatingips.api.ts';
import { networkRoutes } from './neutron/networks.api.ts';
import { peeringRoutes } from './neutron/peerings.api.ts';
import { portRoutes } from './neutron/ports.api.ts';
import { quotaRoutes } from './neutron/quotas.api.ts';
import { routerRoutes } from './neutron/routers.api.ts';
import { securityGroupRoutes } from './neutron/security-groups.api.ts';
import { vpnRoutes } from './neutron/vpn.api.ts';

/** Neutron API extensions whose attributes and behaviour we implement (clients probe these). */
const EXTENSIONS: [alias: string, name: string][] = [
  ['router', 'Neutron L3 Router'],
  ['external-net', 'Neutron external network'],
  ['security-group', 'security-group'],
  ['quotas', 'Quota management support'],
  ['quota_details', 'Quota details management support'],
  ['allowed-address-pairs', 'Allowed Address Pairs'],
  ['binding', 'Port Binding'],
  ['port-security', 'Port Security'],
  ['extraroute', 'Neutron Extra Route'],
  ['standard-attr-description', 'standard-attr-description'],
  ['standard-attr-timestamp', 'Resource timestamps'],
  ['standard-attr-revisions', 'Resource revision numbers'],
  ['project-id', 'project_id field enabled'],
  ['network-mtu', 'Network MTU'],
  ['availability_zone', 'Availability Zone'],
  ['pagination', 'Pagination support'],
  ['sorting', 'Sorting support'],
  ['fields', 'Fields support'],
  ['filter-validation', 'Filter parameters validation'],
];

const extensionView = ([alias, name]: [string, string]) => ({
  alias,
  name,
  description: name,
  updated: '2026-01-01T00:00:00-00:00',
  links: [],
});

const RESOURCES = ['networks', 'subnets', 'ports', 'routers', 'security-groups', 'security-group-rules', 'floatingips', 'quotas'];

const neutron = router();
neutron.use(family('neutron'));
neutron.get('/', authenticated(), (c) => {
  const base = `${new URL(c.req.url).origin}/vpc/v2.0`;
  return c.json({
    resources: RESOURCES.map((r) => ({ name: r.replace(/s$/, ''), collection: r, links: [{ rel: 'self', href: `${base}/${r}` }] })),
  });
});
neutron.get('/extensions', authenticated(), (c) => c.json({ extensions: EXTENSIONS.map(extensionView) }));
neutron.get('/extensions/:alias', authenticated(), (c) => {
  const found = EXTENSIONS.find(([alias]) => alias === c.req.param('alias'));
  if (!found) throw notFound(`Extension with alias ${c.req.param('alias')} does not exist`, 'ExtensionNotFound');
  return c.json({ extension: extensionView(found) });
});
for (const routes of [
  networkRoutes,
  portRoutes,
  routerRoutes,
  securityGroupRoutes,
  floatingIpRoutes,
  quotaRoutes,
  peeringRoutes,
  vpnRoutes,
])
  neutron.route('/', routes);

const native = router();
native.use(family('native'));
for (const routes of [vpcRoutes, subnetRoutes, publicIpRoutes, bandwidthRoutes, nativeSecurityGroupRoutes]) native.route('/', routes);

export const vpcApp = router();
vpcApp.use(family('neutron'));
vpcApp.get('/', publicRoute('version discovery'), (c) =>
  c.json({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${new URL(c.req.url).origin}/vpc/v2.0/` }] }] }),
);
vpcApp.route('/v2.0', neutron);
vpcApp.route('/v1/:project_id', native);
