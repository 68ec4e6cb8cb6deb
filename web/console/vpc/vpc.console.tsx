/**
 * The Console's VPC section at `/console/vpc`: VPCs and their subnets, security groups and their rules, peerings
 * and VPN. Every route is guarded by the action its API route has, and calls the VPC use cases the APIs call.
 */

import { z } from 'zod';
import { formatIp, parseCidr } from '../../../core/ipv4.ts';
import { zonesOf } from '../../../core/regions.ts';
import { act, authenticated } from '../../../workers/auth/middleware.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { notFound } from '../../../workers/lib/errors.ts';
import { createSubnet, createVpc, deleteSubnet, deleteVpc, listSubnets, listVpcs, setGateway } from '../../../workers/vpc/usecases/vpcs.ts';
import { button, consoleRouter, done, type Failure, f, fieldError, form } from '../kit.tsx';
import { descriptionField, nameField, placed } from './forms.ts';
import { peeringRoutes } from './peerings.console.tsx';
import { securityGroupRoutes } from './security-groups.console.tsx';
import { SubnetRows, VpcPage, VpcRows, VpcsPage } from './vpcs.page.tsx';
import { vpnRoutes } from './vpn.console.tsx';

const vpcForm = z.object({ name: nameField('VPC'), cidr: f.text('a CIDR block'), description: descriptionField() });
const subnetForm = z.object({
  name: nameField('subnet'),
  cidr: f.text('a CIDR block'),
  gateway_ip: f.optional(),
  availability_zone: f.optional(),
  primary_dns: f.optional(),
  dhcp_enable: f.check(),
});

/** Where the words of a VPC or subnet refusal point. */
const VPC_WORDS = [
  ['gateway_ip', /gateway/i],
  ['availability_zone', /availability_zone/],
  ['primary_dns', /DNS/],
  ['cidr', /cidr|overlap/i],
] as const;

async function vpcsPage(c: AppContext, failure?: Failure) {
  const caller = callerOf(c);
  const [vpcs, subnets] = await Promise.all([listVpcs(caller), listSubnets(caller)]);
  return c.html(<VpcsPage c={c} vpcs={vpcs} subnets={subnets} failure={failure && placed(failure, VPC_WORDS)} />);
}

/** A VPC of the caller's project with its subnets; another project's is as missing. */
async function vpcWithSubnets(c: AppContext) {
  const caller = callerOf(c);
  const id = c.req.param('vpc_id') ?? '';
  const [vpcs, subnets] = await Promise.all([listVpcs(caller), listSubnets(caller)]);
  const vpc = vpcs.find((v) => v.id === id);
  if (!vpc) throw notFound(`VPC ${id} could not be found.`);
  return { vpc, subnets: subnets.filter((s) => s.vpcId === id) };
}

async function vpcPage(c: AppContext, failures: { subnet?: Failure; refusal?: Failure } = {}) {
  const { vpc, subnets } = await vpcWithSubnets(c);
  const subnetFailure = failures.subnet && placed(failures.subnet, VPC_WORDS);
  return c.html(
    <VpcPage
      c={c}
      vpc={vpc}
      subnets={subnets}
      zones={zonesOf(callerOf(c).region)}
      subnetFailure={subnetFailure}
      refusal={failures.refusal}
    />,
  );
}

/** The first usable address of a block: the gateway a subnet gets when none is typed. */
function firstHost(cidr: string): string {
  const block = parseCidr(cidr);
  if (!block) fieldError('cidr', `${cidr} is not an IPv4 CIDR block such as 192.168.1.0/24.`);
  return formatIp(block.network + 1);
}

export const vpcConsole = consoleRouter();

vpcConsole.get('/', authenticated(), (c) => c.redirect('/console/vpc/vpcs', 303));
vpcConsole.get('/vpcs', act('vpc:vpcs:list'), (c) => vpcsPage(c));
vpcConsole.get('/vpcs/rows', act('vpc:vpcs:list'), async (c) => {
  const caller = callerOf(c);
  return c.html(<VpcRows vpcs={await listVpcs(caller)} subnets={await listSubnets(caller)} />);
});
vpcConsole.post(
  '/vpcs',
  act('vpc:vpcs:create'),
  form(
    vpcForm,
    async (c, input) => {
      const vpc = await createVpc(callerOf(c), input);
      return done(c, `/console/vpc/vpcs/${vpc.id}`, `VPC ${vpc.name} is being created.`);
    },
    (c, failure) => vpcsPage(c, failure),
  ),
);

vpcConsole.get('/vpcs/:vpc_id', act('vpc:vpcs:get'), (c) => vpcPage(c));
vpcConsole.get('/vpcs/:vpc_id/subnets/rows', act('vpc:subnets:list'), async (c) => {
  const { vpc, subnets } = await vpcWithSubnets(c);
  return c.html(<SubnetRows c={c} vpc={vpc} subnets={subnets} />);
});
vpcConsole.post(
  '/vpcs/:vpc_id/delete',
  act('vpc:vpcs:delete'),
  button(
    async (c) => {
      await deleteVpc(callerOf(c), c.req.param('vpc_id') ?? '');
      return ['/console/vpc/vpcs', 'The VPC is deleted.'];
    },
    (c, failure) => vpcPage(c, { refusal: failure }),
  ),
);
vpcConsole.post(
  '/vpcs/:vpc_id/gateway',
  act('vpc:vpcs:update'),
  form(
    z.object({ connected: f.check() }),
    async (c, input) => {
      const vpc = await setGateway(callerOf(c), c.req.param('vpc_id') ?? '', input.connected);
      return done(c, `/console/vpc/vpcs/${vpc.id}`, input.connected ? 'The VPC is connected to the Internet.' : 'The VPC is disconnected.');
    },
    (c, failure) => vpcPage(c, { refusal: failure }),
  ),
);
vpcConsole.post(
  '/vpcs/:vpc_id/subnets',
  act('vpc:subnets:create'),
  form(
    subnetForm,
    async (c, input) => {
      const vpcId = c.req.param('vpc_id') ?? '';
      const subnet = await createSubnet(callerOf(c), {
        vpcId,
        name: input.name,
        cidr: input.cidr,
        gatewayIp: input.gateway_ip ?? firstHost(input.cidr),
        availabilityZone: input.availability_zone,
        dnsNameservers: input.primary_dns ? [input.primary_dns] : undefined,
        enableDhcp: input.dhcp_enable,
      });
      return done(c, `/console/vpc/vpcs/${vpcId}`, `Subnet ${subnet.name} is being created.`);
    },
    (c, failure) => vpcPage(c, { subnet: failure }),
  ),
);
vpcConsole.post(
  '/vpcs/:vpc_id/subnets/:subnet_id/delete',
  act('vpc:subnets:delete'),
  button(
    async (c) => {
      const vpcId = c.req.param('vpc_id') ?? '';
      await deleteSubnet(callerOf(c), vpcId, c.req.param('subnet_id') ?? '');
      return [`/console/vpc/vpcs/${vpcId}`, 'The subnet is deleted.'];
    },
    (c, failure) => vpcPage(c, { refusal: failure }),
  ),
);

vpcConsole.route('/security-groups', securityGroupRoutes);
vpcConsole.route('/peerings', peeringRoutes);
vpcConsole.route('/vpn', vpnRoutes);
