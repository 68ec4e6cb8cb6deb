/**
 * Neutron VPNaaS under `/v2.0/vpn`: IKE and IPsec policies, VPN services on a router, endpoint groups and IPsec
 * site connections. Each attribute's form is checked here; the defaults in the use cases.
 */
import { z } from 'zod';
import { parseIp } from '../../../core/ipv4.ts';
import type { Json, VpnKind, VpnObject } from '../../../schema/tenant.ts';
import { act } from '../../auth/middleware.ts';
import { type AppContext, router } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { projectScope } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { createVpn, deleteVpn, listVpn, updateVpn, VPN_CHOICES } from '../usecases/vpn.ts';
import { neutronFields, neutronList } from './list.ts';

const name = z.string().max(255);
const description = z.string().max(255);
const lifetime = z.object({ units: z.literal('seconds'), value: z.number().int().min(60).max(86400) }).strict();
const pfs = z.enum(VPN_CHOICES.pfs);
const auth = z.enum(VPN_CHOICES.auth);
const encryption = z.enum(VPN_CHOICES.encryption);
const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'a CIDR such as 10.0.0.0/24');
const owner = { tenant_id: z.string().optional(), project_id: z.string().optional() };

const ike = {
  name: name.optional(),
  description: description.optional(),
  auth_algorithm: auth.optional(),
  encryption_algorithm: encryption.optional(),
  phase1_negotiation_mode: z.enum(['main', 'aggressive']).optional(),
  ike_version: z.enum(VPN_CHOICES.ikeVersion).optional(),
  pfs: pfs.optional(),
  lifetime: lifetime.optional(),
};
const ipsec = {
  name: name.optional(),
  description: description.optional(),
  transform_protocol: z.enum(VPN_CHOICES.transform).optional(),
  auth_algorithm: auth.optional(),
  encapsulation_mode: z.enum(['tunnel', 'transport']).optional(),
  encryption_algorithm: encryption.optional(),
  pfs: pfs.optional(),
  lifetime: lifetime.optional(),
};
const service = { name: name.optional(), description: description.optional(), admin_state_up: z.boolean().optional() };
const group = { name: name.optional(), description: description.optional() };
const connection = {
  name: name.optional(),
  description: description.optional(),
  peer_address: z.string().refine((v) => parseIp(v) !== null, 'an IPv4 address'),
  peer_id: z.string().max(255).optional(),
  local_id: z.string().max(255).optional(),
  peer_cidrs: z.array(cidr).max(20).optional(),
  local_ep_group_id: z.string().nullable().optional(),
  peer_ep_group_id: z.string().nullable().optional(),
  psk: z.string().min(1).max(128),
  mtu: z.number().int().min(68).max(9216).optional(),
  initiator: z.enum(['bi-directional', 'response-only']).optional(),
  admin_state_up: z.boolean().optional(),
  dpd: z
    .object({
      action: z.enum(['hold', 'clear', 'restart', 'disabled', 'restart-by-peer']).optional(),
      interval: z.number().int().min(1).optional(),
      timeout: z.number().int().min(1).optional(),
    })
    .strict()
    .optional(),
  route_mode: z.literal('static').optional(),
  auth_mode: z.literal('psk').optional(),
};

interface Collection {
  kind: VpnKind;
  path: string;
  key: string;
  plural: string;
  create: z.ZodType<Record<string, unknown>>;
  update: z.ZodType<Record<string, unknown>>;
  label: string;
}

const COLLECTIONS: Collection[] = [
  {
    kind: 'ikepolicy',
    path: 'ikepolicies',
    key: 'ikepolicy',
    plural: 'ikepolicies',
    create: z.object({ ...ike, ...owner }).strict(),
    update: z.object(ike).strict(),
    label: 'IKEPolicy',
  },
  {
    kind: 'ipsecpolicy',
    path: 'ipsecpolicies',
    key: 'ipsecpolicy',
    plural: 'ipsecpolicies',
    create: z.object({ ...ipsec, ...owner }).strict(),
    update: z.object(ipsec).strict(),
    label: 'IPsecPolicy',
  },
  {
    kind: 'vpnservice',
    path: 'vpnservices',
    key: 'vpnservice',
    plural: 'vpnservices',
    create: z
      .object({
        ...service,
        ...owner,
        router_id: z.string().min(1),
        subnet_id: z.string().nullable().optional(),
        flavor_id: z.null().optional(),
      })
      .strict(),
    update: z.object(service).strict(),
    label: 'VPNService',
  },
  {
    kind: 'endpoint_group',
    path: 'endpoint-groups',
    key: 'endpoint_group',
    plural: 'endpoint_groups',
    create: z
      .object({ ...group, ...owner, type: z.enum(['subnet', 'cidr']), endpoints: z.array(z.string().min(1)).min(1).max(50) })
      .strict(),
    update: z.object(group).strict(),
    label: 'VPNEndpointGroup',
  },
  {
    kind: 'ipsec_site_connection',
    path: 'ipsec-site-connections',
    key: 'ipsec_site_connection',
    plural: 'ipsec_site_connections',
    create: z
      .object({
        ...connection,
        ...owner,
        vpnservice_id: z.string().min(1),
        ikepolicy_id: z.string().min(1),
        ipsecpolicy_id: z.string().min(1),
      })
      .strict(),
    update: z.object({ ...connection, peer_address: connection.peer_address.optional(), psk: connection.psk.optional() }).strict(),
    label: 'IPsecSiteConnection',
  },
];

/** A VPN object in Neutron's shape. */
function view(projectId: string, o: VpnObject) {
  return { id: o.id, ...o.attributes, ...(o.status ? { status: o.status } : {}), tenant_id: projectId, project_id: projectId };
}

function mount(r: ReturnType<typeof router>, col: Collection) {
  const base = `/vpn/${col.path}`;
  const verb = <V extends 'list' | 'get' | 'create' | 'update' | 'delete'>(v: V) => `vpc:vpn:${v}` as const;
  const items = async (c: AppContext) => {
    const { projectId } = projectScope(c);
    return (await listVpn(callerOf(c), col.kind)).map((o) => view(projectId, o));
  };
  r.get(base, act(verb('list')), async (c) => c.json(neutronList(c, col.plural, await items(c))));
  r.get(`${base}/:id`, act(verb('get')), async (c) => {
    const found = (await items(c)).find((o) => o.id === c.req.param('id'));
    if (!found) throw notFound(`${col.label} ${c.req.param('id')} could not be found.`, `${col.label}NotFound`);
    return c.json({ [col.key]: neutronFields(c, found) });
  });
  r.post(base, act(verb('create')), async (c) => {
    const body = (await jsonBody(c, z.object({ [col.key]: col.create }).strict())) as Record<string, Record<string, unknown>>;
    const created = await createVpn(callerOf(c), col.kind, body[col.key]!);
    return c.json({ [col.key]: view(projectScope(c).projectId, created) }, 201);
  });
  r.put(`${base}/:id`, act(verb('update')), async (c) => {
    const body = (await jsonBody(c, z.object({ [col.key]: col.update }).strict())) as Record<string, Record<string, Json>>;
    const updated = await updateVpn(callerOf(c), col.kind, c.req.param('id'), body[col.key]!);
    return c.json({ [col.key]: view(projectScope(c).projectId, updated) });
  });
  r.delete(`${base}/:id`, act(verb('delete')), async (c) => {
    await deleteVpn(callerOf(c), col.kind, c.req.param('id'));
    return c.body(null, 204);
  });
}

export const vpnRoutes = router();
for (const col of COLLECTIONS) mount(vpnRoutes, col);
