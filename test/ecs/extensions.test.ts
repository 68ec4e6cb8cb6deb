/**
 * Nova `GET /extensions` and `/extensions/{alias}` (issue 18): the extensions this cloud honours, each in Nova's
 * shape, shown by alias, and Nova's 404 for one it does not offer.
 */
import { describe, expect, it } from 'vitest';
import { expectNovaError, nova } from '../request.ts';
import { computeProject } from './fixtures.ts';

describe('Nova extensions', () => {
  it('lists what is offered and shows one by alias', async () => {
    const p = await computeProject('ext');
    const list = await nova(p.token, p.project, 'GET', '/extensions');
    expect(list.status).toBe(200);
    const aliases = list.body.extensions.map((e: { alias: string }) => e.alias);
    expect(aliases).toHaveLength(24);
    for (const a of ['os-pause-server', 'os-suspend-server', 'os-access-ips', 'os-disk-config', 'os-security-groups', 'os-lock-server'])
      expect(aliases).toContain(a);
    const one = await nova(p.token, p.project, 'GET', '/extensions/os-pause-server');
    expect(one.body).toEqual({
      extension: {
        name: 'PauseServer',
        alias: 'os-pause-server',
        description: 'Enable pause/unpause server actions.',
        namespace: 'http://docs.openstack.org/compute/ext/fake_xml',
        updated: '2014-12-03T00:00:00Z',
        links: [],
      },
    });
    expectNovaError(await nova(p.token, p.project, 'GET', '/extensions/os-shelve'), 404, 'itemNotFound', /^Unknown extension$/);
  });
});
