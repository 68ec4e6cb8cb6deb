/**
 * The query of every VPC list. Neutron: filters on the collection's attributes only (an unknown one is refused), and
 * its own words for a bad limit, sort or marker. Native VPC v1: the filters each list offers, limit and marker; any
 * other parameter is ignored.
 */
import { describe, expect, it } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { expectNativeError, expectNeutronError, native, neutron } from '../request.ts';
import { create } from './fixtures.ts';

async function fresh() {
  const account = await newAccount('vpcq');
  return { project: account.projects[0]!.id, token: await tokenFor(account) };
}

describe('Neutron list queries', () => {
  it('refuses an unknown filter, a bad limit, unpaired or unknown sorts and an unknown marker, in that order', async () => {
    const { token } = await fresh();
    const bad = async (path: string, message: string) => expectNeutronError(await neutron(token, 'GET', path), 400, undefined, message);
    for (const c of ['networks', 'subnets', 'ports', 'routers', 'security-groups', 'security-group-rules', 'floatingips']) {
      await bad(`/${c}?bogus=1`, '[bogus] is invalid attribute for filtering');
      await bad(`/${c}?limit=abc`, 'Bad limit request: limit must be a non-negative integer, got abc.');
      await bad(`/${c}?limit=-1`, 'Bad limit request: limit must be a non-negative integer, got -1.');
      await bad(`/${c}?sort_key=id`, 'The number of sort_keys and sort_dirs must be same');
      await bad(`/${c}?sort_key=id&sort_dir=up`, "up is invalid value for sort_dirs, valid value is 'asc' and 'desc'");
      await bad(`/${c}?sort_key=nope&sort_dir=asc`, 'nope is an invalid attribute for sort_key');
      await bad(`/${c}?marker=nope`, 'Marker nope could not be found.');
      // The first fault is the one named.
      await bad(`/${c}?limit=abc&bogus=1&sort_key=id`, '[bogus] is invalid attribute for filtering');
      await bad(`/${c}?limit=abc&sort_key=id`, 'The number of sort_keys and sort_dirs must be same');
      await bad(`/${c}?sort_key=nope&sort_dir=asc&limit=abc`, 'Bad limit request: limit must be a non-negative integer, got abc.');
      expect((await neutron(token, 'GET', `/${c}?limit=&tags=x&fields=id`)).status).toBe(200);
    }
  });

  it('checks the filters of a list without a fixed attribute set against its items: anything goes while it is empty', async () => {
    const { token } = await fresh();
    expect((await neutron(token, 'GET', '/vpn/ikepolicies?bogus=1')).body).toEqual({ ikepolicies: [] });
    expect((await neutron(token, 'GET', '/vpc/peerings?bogus=1&sort_key=nope&sort_dir=asc')).status).toBe(200);
    await create(token, 'vpn/ikepolicies', 'ikepolicy', { name: 'ike' });
    expectNeutronError(
      await neutron(token, 'GET', '/vpn/ikepolicies?bogus=1'),
      400,
      undefined,
      '[bogus] is invalid attribute for filtering',
    );
    expect((await neutron(token, 'GET', '/vpn/ikepolicies?name=ike&name=other&fields=name')).body).toEqual({
      ikepolicies: [{ name: 'ike' }],
    });
    expectNeutronError(await neutron(token, 'GET', '/vpn/ikepolicies?limit=x'), 400, undefined, /got x\.$/);
  });

  it('pages with limit, marker and page_reverse, and links the next page', async () => {
    const { token } = await fresh();
    for (const name of ['a', 'b', 'c']) await create(token, 'networks', 'network', { name });
    const sorted = '/networks?router:external=false&sort_key=name&sort_dir=asc';
    const page = await neutron(token, 'GET', `${sorted}&limit=2`);
    expect(page.body.networks.map((n: { name: string }) => n.name)).toEqual(['a', 'b']);
    expect(page.body.networks_links[0].rel).toBe('next');
    const rest = await neutron(token, 'GET', `${sorted}&limit=2&marker=${page.body.networks[1].id}`);
    expect(rest.body.networks.map((n: { name: string }) => n.name)).toEqual(['c']);
    expect(rest.body.networks_links).toBeUndefined();
    const back = await neutron(token, 'GET', `${sorted}&limit=1&page_reverse=true&marker=${rest.body.networks[0].id}`);
    expect(back.body.networks.map((n: { name: string }) => n.name)).toEqual(['b']);
  });
});

describe('native VPC list queries', () => {
  it('refuses a malformed limit or an unknown marker with VPC.0101 and ignores what a list does not read', async () => {
    const t = await fresh();
    for (const c of ['vpcs', 'subnets', 'publicips', 'bandwidths', 'security-groups', 'security-group-rules']) {
      expectNativeError(
        await native('vpc', t, 'GET', `/${c}?limit=abc`),
        400,
        undefined,
        /^Invalid limit 'abc': it must be a non-negative integer\.$/,
      );
      expectNativeError(await native('vpc', t, 'GET', `/${c}?limit=-1`), 400, undefined, /^Invalid limit '-1'/);
      const marker = crypto.randomUUID();
      expectNativeError(await native('vpc', t, 'GET', `/${c}?marker=${marker}`), 400, undefined, /^marker \[.*\] not found$/);
      const plain = (await native('vpc', t, 'GET', `/${c}`)).body;
      expect((await native('vpc', t, 'GET', `/${c}?limit=&marker=&bogus=1&name=x`)).body).toEqual(plain);
    }
  });

  it('filters each list by the fields it offers, and caps limit at 1000', async () => {
    const t = await fresh();
    const made = [];
    for (const cidr of ['10.1.0.0/16', '10.2.0.0/16'])
      made.push((await native('vpc', t, 'POST', '/vpcs', { vpc: { name: 'v', cidr } })).body.vpc);
    const ids = (body: { vpcs: { id: string }[] }) => body.vpcs.map((v) => v.id);
    expect(ids((await native('vpc', t, 'GET', `/vpcs?id=${made[0].id}`)).body)).toEqual([made[0].id]);
    expect(ids((await native('vpc', t, 'GET', `/vpcs?id=${made[0].id}&id=${made[1].id}`)).body)).toEqual([made[0].id]);
    expect(ids((await native('vpc', t, 'GET', '/vpcs?limit=5000')).body)).toHaveLength(2);
    const subnets = await native('vpc', t, 'GET', `/subnets?vpc_id=${made[1].id}`);
    expect(subnets.body.subnets).toEqual([]);
    const groups = await native('vpc', t, 'GET', `/security-groups?vpc_id=${crypto.randomUUID()}`);
    expect(groups.body.security_groups).toEqual([]);
    expect(
      (await native('vpc', t, 'GET', `/security-group-rules?security_group_id=${crypto.randomUUID()}`)).body.security_group_rules,
    ).toEqual([]);
    expect((await native('vpc', t, 'GET', '/publicips?public_ip_address=1.2.3.4')).body.publicips).toEqual([]);
  });
});
