/**
 * Text that is not text (issue 17): a NUL or a lone surrogate in any string of a JSON body is a 400 that stores
 * nothing, on every API family (NUL names were stored whole but shown cut, surrogates mangled); and a custom
 * policy's actions and content have Flexible Engine IAM's limits.
 */
import { describe, expect, it } from 'vitest';
import { computeProject, imageId } from '../ecs/fixtures.ts';
import { newAccount, tokenFor } from '../fixtures.ts';
import { expectNeutronError, expectNovaError, keystone, neutron, nova, send } from '../request.ts';

const BAD = ['boss\u0000x', 'boss\ud800', 'x\udc00y'];

describe('not text', () => {
  it('refuses NUL and lone surrogates in Keystone names and keys, creating no user', async () => {
    const a = await newAccount('nul');
    const token = await tokenFor(a);
    const before = (await keystone(token, 'GET', '/users')).body.users.length;
    for (const name of BAD) {
      const res = await keystone(token, 'POST', '/users', { user: { name, password: 'User-pass-12345' } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe("Invalid input for field 'user.name': a NUL character or a lone surrogate is not allowed.");
    }
    const key = await keystone(token, 'POST', '/users', { user: { name: 'ok', password: 'User-pass-12345', 'a\u0000': 1 } });
    expect(key.body.error.message).toBe("Invalid input for field 'user.a\u0000': a NUL character or a lone surrogate is not allowed.");
    expect((await keystone(token, 'GET', '/users')).body.users.length).toBe(before);
  });

  it('refuses them in Nova and Neutron names too', async () => {
    const p = await computeProject('nulnova');
    const image = await imageId(p.token);
    const server = await nova(p.token, p.project, 'POST', '/servers', {
      server: { name: 'vm\u0000', imageRef: image, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }] },
    });
    expectNovaError(server, 400, 'badRequest', /'server\.name': a NUL character/);
    expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers).toEqual([]);
    const net = await neutron(p.token, 'POST', '/networks', { network: { name: 'n\ud83d' } });
    expectNeutronError(net, 400, undefined, /'network\.name': a NUL character or a lone surrogate/);
    // A whole pair is text: an emoji name is kept as it was given.
    const emoji = await neutron(p.token, 'POST', '/networks', { network: { name: 'n\ud83d\ude00' } });
    expect(emoji.status).toBe(201);
    expect(emoji.body.network.name).toBe('n😀');
  });
});

describe('custom policy limits', () => {
  const policy = (Action: string[]) => ({ Version: '1.1', Statement: [{ Effect: 'Allow', Action }] });
  const create = (token: string, Action: string[]) =>
    send(token, 'POST', '/iam/v3.0/OS-ROLE/roles', {
      role: { display_name: `cp-${crypto.randomUUID().slice(0, 6)}`, type: 'XA', policy: policy(Action) },
    });

  it('refuses an action of 1,000,000 characters and content over 6,144, keeping none', async () => {
    const a = await newAccount('cplim');
    const token = await tokenFor(a, { scope: { domain: { id: a.domainId } } });
    const long = await create(token, ['a'.repeat(1_000_000)]);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/Too big: expected string to have <=128 characters/);
    const wide = await create(
      token,
      Array.from({ length: 100 }, (_, i) => `ecs:servers:action${'x'.repeat(50)}${i}`),
    );
    expect(wide.status).toBe(400);
    expect(wide.body.error.message).toMatch(/a policy is at most 6144 characters/);
    expect((await create(token, ['ecs:servers:list'])).status).toBe(201);
    const listed = await send(token, 'GET', '/iam/v3.0/OS-ROLE/roles');
    const custom = listed.body.roles.filter((r: { type: string }) => r.type === 'XA');
    expect(custom.map((r: { policy: unknown }) => r.policy)).toEqual([policy(['ecs:servers:list'])]);
  });
});
