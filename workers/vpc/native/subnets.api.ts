/**
 * Native `/v1/{project_id}/subnets`: a subnet is a Neutron network with one subnet, attached to its VPC's router
 * at the gateway; its id is the network's. UNKNOWN when made, ACTIVE a moment later (the TenantDO's alarm).
 */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { tenant, unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { createSubnet, deleteSubnet, listSubnets } from '../usecases/vpcs.ts';
import { nativeRouter } from './errors.ts';
import { description, name } from './fields.ts';
import { nativeList } from './list.ts';
import { subnetView } from './views.ts';

const dnsFields = {
  primary_dns: z.string().min(1).optional(),
  secondary_dns: z.string().min(1).optional(),
  dnsList: z.array(z.string().min(1)).max(5).optional(),
};
const noSecondaryAlone = (s: { primary_dns?: string; secondary_dns?: string }) => !(s.secondary_dns && !s.primary_dns);
const secondaryAlone = { message: 'secondary_dns needs primary_dns', path: ['secondary_dns'] };

const createBody = z
  .object({
    subnet: z
      .object({
        name: name.min(1),
        description: description.optional(),
        cidr: z.string().min(1),
        gateway_ip: z.string().min(1),
        vpc_id: z.string().min(1),
        dhcp_enable: z.boolean().optional(),
        ipv6_enable: z.literal(false).optional(),
        availability_zone: z.string().min(1).optional(),
        ...dnsFields,
      })
      .strict()
      .refine(noSecondaryAlone, secondaryAlone),
  })
  .strict();
const updateBody = z
  .object({
    subnet: z
      .object({
        name: name.min(1).optional(),
        description: description.optional(),
        dhcp_enable: z.boolean().optional(),
        ipv6_enable: z.literal(false).optional(),
        ...dnsFields,
      })
      .strict()
      .refine(noSecondaryAlone, secondaryAlone),
  })
  .strict();

/** The DNS servers a body asks for, primary first; undefined when it names none. */
function dnsServers(s: { primary_dns?: string; secondary_dns?: string; dnsList?: string[] }) {
  if (s.primary_dns === undefined && s.secondary_dns === undefined && s.dnsList === undefined) return undefined;
  const all = [s.primary_dns, s.secondary_dns, ...(s.dnsList ?? [])].filter((d): d is string => d !== undefined);
  return [...new Set(all)];
}

/** The project's native subnets: each network in a VPC, seen through its (first) subnet. */
async function subnetItems(c: AppContext) {
  return (await listSubnets(callerOf(c))).map((s) => subnetView(s.subnet, s.vpcId));
}

async function one(c: AppContext, id: string, vpcId?: string) {
  const found = (await subnetItems(c)).find((s) => s.id === id && (vpcId === undefined || s.vpc_id === vpcId));
  if (!found) throw notFound(`Subnet ${id} could not be found${vpcId ? ` in VPC ${vpcId}` : ''}.`, 'SubnetNotFound');
  return found;
}

export const subnetRoutes = nativeRouter('subnets');

subnetRoutes.post('/subnets', act('vpc:subnets:create'), async (c) => {
  const { subnet: s } = await jsonBody(c, createBody);
  const row = await createSubnet(callerOf(c), {
    vpcId: s.vpc_id,
    name: s.name,
    description: s.description,
    cidr: s.cidr,
    gatewayIp: s.gateway_ip,
    enableDhcp: s.dhcp_enable,
    dnsNameservers: dnsServers(s),
    availabilityZone: s.availability_zone,
  });
  return c.json({ subnet: subnetView(row, s.vpc_id) });
});

subnetRoutes.get('/subnets', act('vpc:subnets:list'), async (c) => c.json({ subnets: nativeList(c, await subnetItems(c), ['vpc_id']) }));

subnetRoutes.get('/subnets/:subnet_id', act('vpc:subnets:get'), async (c) => c.json({ subnet: await one(c, c.req.param('subnet_id')) }));

subnetRoutes.put('/vpcs/:vpc_id/subnets/:subnet_id', act('vpc:subnets:update'), async (c) => {
  const t = tenant(c);
  const { subnet: s } = await jsonBody(c, updateBody);
  const vpcId = c.req.param('vpc_id');
  const current = await one(c, c.req.param('subnet_id'), vpcId);
  const row = unwrap(
    await t.updateSubnet(current.neutron_subnet_id, {
      name: s.name,
      description: s.description,
      enableDhcp: s.dhcp_enable,
      dnsNameservers: dnsServers(s),
    }),
  );
  return c.json({ subnet: subnetView(row, vpcId) });
});

subnetRoutes.delete('/vpcs/:vpc_id/subnets/:subnet_id', act('vpc:subnets:delete'), async (c) => {
  await deleteSubnet(callerOf(c), c.req.param('vpc_id'), c.req.param('subnet_id'));
  return c.body(null, 204);
});
