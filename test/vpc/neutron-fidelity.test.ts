/** Where Neutron clients depend on Neutron's exact behaviour: what it accepts, and the words and types it refuses with. */
import { describe, expect, it } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { expectNeutronError, neutron } from '../request.ts';
import { create, externalNetworkId, listIds, networkWithSubnet, snapshot } from './fixtures.ts';

async function fresh() {
  const account = await newAccount('neutron-fid');
  return { project: account.projects[0]!.id, token: await tokenFor(account) };
}

describe('router external gateway', () => {
  // Neutron validates external_gateway_info as dict_or_nodata: an empty dict is "no gateway" (l3_db reads
  // network_id from it as None), on create and on update, where it clears the gateway.
  it('takes an empty external_gateway_info as a router without gateway, on create and on update', async () => {
    const { token } = await fresh();
    const ext = await externalNetworkId(token);
    const r = await create(token, 'routers', 'router', { name: 'r', external_gateway_info: {} });
    expect(r.external_gateway_info).toBeNull();

    const set = await neutron(token, 'PUT', `/routers/${r.id}`, { router: { external_gateway_info: { network_id: ext } } });
    expect(set.body.router.external_gateway_info).toMatchObject({ network_id: ext });
    const cleared = await neutron(token, 'PUT', `/routers/${r.id}`, { router: { external_gateway_info: {} } });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(cleared.body.router.external_gateway_info).toBeNull();
  });

  it('still needs network_id in a gateway that says anything', async () => {
    const { token } = await fresh();
    const before = await snapshot(token);
    const res = await neutron(token, 'POST', '/routers', { router: { external_gateway_info: { enable_snat: true } } });
    expectNeutronError(res, 400);
    expect(await snapshot(token)).toEqual(before);
  });
});

describe('subnet overlap', () => {
  // neutron/db/ipam_backend_mixin.py: InvalidInput("Requested subnet with cidr: %(cidr)s for network:
  // %(network_id)s overlaps with another subnet"), which does not name the other subnet.
  it("refuses an overlapping subnet in Neutron's words", async () => {
    const { token } = await fresh();
    const { network, subnet } = await networkWithSubnet(token, '10.0.0.0/24');
    const before = await snapshot(token);
    const res = await neutron(token, 'POST', '/subnets', { subnet: { network_id: network.id, cidr: '10.0.0.128/25', ip_version: 4 } });
    expectNeutronError(
      res,
      400,
      'InvalidInput',
      `Invalid input for operation: Requested subnet with cidr: 10.0.0.128/25 for network: ${network.id} overlaps with another subnet.`,
    );
    expect(res.body.NeutronError.message).not.toContain(subnet.id);
    expect(await snapshot(token)).toEqual(before);
  });
});

describe('router interface overlap', () => {
  // neutron/db/l3_db.py _raise_on_subnets_overlap: BadRequest(resource='router', msg="Cidr %(subnet_cidr)s of
  // subnet %(subnet_id)s overlaps with cidr %(cidr)s of subnet %(sub_id)s").
  it("refuses to join overlapping subnets to one router in Neutron's words", async () => {
    const { token } = await fresh();
    const a = await networkWithSubnet(token, '10.0.0.0/24');
    const b = await networkWithSubnet(token, '10.0.0.0/25');
    const r = await create(token, 'routers', 'router', { name: 'r' });
    expect((await neutron(token, 'PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: a.subnet.id })).status).toBe(200);
    const before = await snapshot(token);
    const res = await neutron(token, 'PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: b.subnet.id });
    expectNeutronError(
      res,
      400,
      'BadRequest',
      `Bad router request: Cidr 10.0.0.0/25 of subnet ${b.subnet.id} overlaps with cidr 10.0.0.0/24 of subnet ${a.subnet.id}.`,
    );
    expect(await snapshot(token)).toEqual(before);
  });
});

describe('the default security group', () => {
  // neutron/extensions/securitygroup.py: the name is validated by name_not_default on create and update
  // (SecurityGroupDefaultAlreadyExists), and the default group's name is not updated
  // (SecurityGroupCannotUpdateDefault); both are InUse, 409.
  it('refuses with 409 to rename a group to default, or the default group to anything else', async () => {
    const { token } = await fresh();
    const g = await create(token, 'security-groups', 'security_group', { name: 'web' });
    const def = (await listIds(token, '/security-groups?name=default'))[0]!;
    const before = await snapshot(token);

    const toDefault = await neutron(token, 'PUT', `/security-groups/${g.id}`, { security_group: { name: 'default' } });
    expectNeutronError(toDefault, 409, 'SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
    const fromDefault = await neutron(token, 'PUT', `/security-groups/${def}`, { security_group: { name: 'other' } });
    expectNeutronError(fromDefault, 409, 'SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
    expect(await snapshot(token)).toEqual(before);
  });
});
