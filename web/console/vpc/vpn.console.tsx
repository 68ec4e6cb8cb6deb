/** The VPN pages of the VPC section (`/console/vpc/vpn`): one page of four kinds, each created and deleted here. */

import { z } from 'zod';
import { parseCidr, parseIp } from '../../../core/ipv4.ts';
import type { Json } from '../../../schema/tenant.ts';
import { act } from '../../../workers/auth/middleware.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { type Caller, callerOf } from '../../../workers/lib/caller.ts';
import { listSubnets, listVpcs } from '../../../workers/vpc/usecases/vpcs.ts';
import { createVpn, deleteVpn, listVpn, VPN_CHOICES } from '../../../workers/vpc/usecases/vpn.ts';
import { button, consoleRouter, done, type Failure, f, fieldError, form } from '../kit.tsx';
import { type FieldWords, placed } from './forms.ts';
import { type ShownKind, VPN_KINDS, type VpnObjects, VpnPage, VpnTables } from './vpn.page.tsx';

const choice = (values: readonly [string, ...string[]], what: string) => z.enum(values, { error: `Choose ${what}.` });
const policy = (prefix: string) => ({
  [`${prefix}_name`]: f.text('a name'),
  [`${prefix}_auth_algorithm`]: choice(VPN_CHOICES.auth, 'an authentication algorithm'),
  [`${prefix}_encryption_algorithm`]: choice(VPN_CHOICES.encryption, 'an encryption algorithm'),
  [`${prefix}_pfs`]: choice(VPN_CHOICES.pfs, 'a Diffie-Hellman group'),
});
const cidrList = f
  .text('the peer networks')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every((cidr) => parseCidr(cidr)), 'Enter address blocks such as 10.1.0.0/24, separated by commas.');

/** Each kind's form (its fields carry the kind's prefix: four forms share the page) and where its refusals point. */
const FORMS: Record<ShownKind, { schema: z.ZodType<Record<string, unknown>>; words: FieldWords }> = {
  ikepolicy: {
    schema: z.object({ ...policy('ike'), ike_version: choice(VPN_CHOICES.ikeVersion, 'an IKE version') }),
    words: [],
  },
  ipsecpolicy: {
    schema: z.object({ ...policy('ipsec'), ipsec_transform_protocol: choice(VPN_CHOICES.transform, 'a transform protocol') }),
    words: [],
  },
  vpnservice: {
    schema: z.object({ service_name: f.text('a name'), service_subnet_id: f.text('the local subnet') }),
    words: [['service_subnet_id', /gateway|subnet|router/i]],
  },
  ipsec_site_connection: {
    schema: z.object({
      conn_name: f.text('a name'),
      conn_vpnservice_id: f.text('the VPN service'),
      conn_ikepolicy_id: f.text('the IKE policy'),
      conn_ipsecpolicy_id: f.text('the IPsec policy'),
      conn_peer_address: f
        .text('the peer gateway address')
        .refine((v) => parseIp(v) !== null, 'Enter an IPv4 address such as 203.0.113.10.'),
      conn_peer_cidrs: cidrList,
      conn_psk: z.string().min(1, 'Enter the pre-shared key.').max(128, 'The pre-shared key has at most 128 characters.'),
    }),
    words: [
      ['conn_peer_cidrs', /peer CIDR|peer_cidrs/i],
      ['conn_vpnservice_id', /VPNService/],
      ['conn_ikepolicy_id', /IKEPolicy/],
      ['conn_ipsecpolicy_id', /IPsecPolicy/],
    ],
  },
};

const PREFIX: Record<ShownKind, string> = {
  ikepolicy: 'ike_',
  ipsecpolicy: 'ipsec_',
  vpnservice: 'service_',
  ipsec_site_connection: 'conn_',
};

/** A form's input as the use case's attributes: the prefix dropped; a service's VPC found from its subnet. */
async function attributesOf(caller: Caller, kind: ShownKind, input: Record<string, unknown>): Promise<Record<string, Json>> {
  // `ike_version` is the attribute's own name, prefix and all.
  const strip = (k: string) => (k === 'ike_version' ? k : k.slice(PREFIX[kind].length));
  const attributes = Object.fromEntries(Object.entries(input).map(([k, v]) => [strip(k), v as Json]));
  if (kind === 'vpnservice') {
    const subnet = (await listSubnets(caller)).find((s) => s.subnet.id === attributes.subnet_id);
    if (!subnet) fieldError('service_subnet_id', 'Choose a subnet of one of your VPCs.', 404);
    attributes.router_id = subnet.vpcId;
  }
  return attributes;
}

async function objectsOf(caller: Caller): Promise<VpnObjects> {
  const lists = await Promise.all(VPN_KINDS.map(({ kind }) => listVpn(caller, kind)));
  return Object.fromEntries(VPN_KINDS.map(({ kind }, i) => [kind, lists[i]!])) as VpnObjects;
}

async function vpnPage(c: AppContext, failures: { failed?: { kind: ShownKind; failure: Failure }; refusal?: Failure } = {}) {
  const caller = callerOf(c);
  const [objects, vpcs, subnets] = await Promise.all([objectsOf(caller), listVpcs(caller), listSubnets(caller)]);
  const failed = failures.failed && {
    kind: failures.failed.kind,
    failure: placed(failures.failed.failure, FORMS[failures.failed.kind].words),
  };
  return c.html(<VpnPage c={c} objects={objects} vpcs={vpcs} subnets={subnets} failed={failed} refusal={failures.refusal} />);
}

export const vpnRoutes = consoleRouter();

vpnRoutes.get('/', act('vpc:vpn:list'), (c) => vpnPage(c));
vpnRoutes.get('/tables', act('vpc:vpn:list'), async (c) => {
  const caller = callerOf(c);
  const [objects, vpcs] = await Promise.all([objectsOf(caller), listVpcs(caller)]);
  return c.html(<VpnTables c={c} objects={objects} vpcs={vpcs} />);
});

for (const { kind, path, one } of VPN_KINDS) {
  vpnRoutes.post(
    `/${path}`,
    act('vpc:vpn:create'),
    form(
      FORMS[kind].schema,
      async (c, input) => {
        const caller = callerOf(c);
        const created = await createVpn(caller, kind, await attributesOf(caller, kind, input));
        return done(c, '/console/vpc/vpn', `The ${one} ${created.name} is created.`);
      },
      (c, failure) => vpnPage(c, { failed: { kind, failure } }),
    ),
  );
  vpnRoutes.post(
    `/${path}/:id/delete`,
    act('vpc:vpn:delete'),
    button(
      async (c) => {
        await deleteVpn(callerOf(c), kind, c.req.param('id') ?? '');
        return ['/console/vpc/vpn', `The ${one} is deleted.`];
      },
      (c, failure) => vpnPage(c, { refusal: failure }),
    ),
  );
}
