/**
 * Nova's formats for a server's addresses and disk config (issues 17 and 18): `fixed_ip`, `accessIPv4` and
 * `accessIPv6` are checked by Nova's JSON schema (400, nothing stored), and the access addresses and
 * `OS-DCF:diskConfig` are kept and read back on every read, update and rebuild.
 */
import { describe, expect, it } from 'vitest';
import { expectNovaError, nova } from '../request.ts';
import { activeServer, boot, computeProject, imageId, waitStatus } from './fixtures.ts';

const serverIds = async (p: { token: string; project: string }) =>
  (await nova(p.token, p.project, 'GET', '/servers')).body.servers.map((s: { id: string }) => s.id);

describe('address formats', () => {
  it('refuses a fixed_ip that is no address with 400 in Nova words, storing nothing', async () => {
    const p = await computeProject('fixedip');
    const image = await imageId(p.token);
    for (const ip of ['300.1.1.1', 'x'.repeat(1_000_000 / 10)]) {
      const res = await nova(p.token, p.project, 'POST', '/servers', {
        server: { name: 'f', imageRef: image, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id, fixed_ip: ip }] },
      });
      expectNovaError(res, 400, 'badRequest');
      expect(res.body.badRequest.message.length).toBeLessThan(700);
    }
    const res = await nova(p.token, p.project, 'POST', '/servers', {
      server: { name: 'f', imageRef: image, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id, fixed_ip: '300.1.1.1' }] },
    });
    expect(res.body.badRequest.message).toBe(
      "Invalid input for field/attribute fixed_ip. Value: 300.1.1.1. '300.1.1.1' is not a 'ip-address'",
    );
    expect(await serverIds(p)).toEqual([]);
  });

  it('refuses an accessIPv4 or accessIPv6 of the wrong family on create and update', async () => {
    const p = await computeProject('accessbad');
    const image = await imageId(p.token);
    const base = { name: 'a', imageRef: image, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }] };
    const v4 = await nova(p.token, p.project, 'POST', '/servers', { server: { ...base, accessIPv4: '::1' } });
    expect(v4.body.badRequest.message).toBe("Invalid input for field/attribute accessIPv4. Value: ::1. '::1' is not a 'ipv4'");
    const v6 = await nova(p.token, p.project, 'POST', '/servers', { server: { ...base, accessIPv6: '10.0.0.300' } });
    expectNovaError(v6, 400, 'badRequest', /'10\.0\.0\.300' is not a 'ipv6'/);
    expect(await serverIds(p)).toEqual([]);
    const s = await activeServer(p);
    const put = await nova(p.token, p.project, 'PUT', `/servers/${s.id}`, { server: { accessIPv4: '1.2.3' } });
    expectNovaError(put, 400, 'badRequest', /'1\.2\.3' is not a 'ipv4'/);
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server.accessIPv4).toBe('');
  });
});

describe('kept fields', () => {
  it('stores accessIPv4, accessIPv6 and OS-DCF:diskConfig from create, update and rebuild', async () => {
    const p = await computeProject('accessok');
    const made = await boot(p, { accessIPv4: '203.0.113.7', accessIPv6: '2001:db8::7', 'OS-DCF:diskConfig': 'AUTO' });
    expect((made as Record<string, unknown>)['OS-DCF:diskConfig']).toBe('AUTO');
    const s = await waitStatus(p, made.id, 'ACTIVE');
    expect([s.accessIPv4, s.accessIPv6, s['OS-DCF:diskConfig']]).toEqual(['203.0.113.7', '2001:db8::7', 'AUTO']);
    const put = await nova(p.token, p.project, 'PUT', `/servers/${s.id}`, {
      server: { accessIPv4: '198.51.100.1', 'OS-DCF:diskConfig': 'MANUAL' },
    });
    expect(put.status).toBe(200);
    expect([put.body.server.accessIPv4, put.body.server.accessIPv6, put.body.server['OS-DCF:diskConfig']]).toEqual([
      '198.51.100.1',
      '2001:db8::7',
      'MANUAL',
    ]);
    const listed = (await nova(p.token, p.project, 'GET', '/servers/detail')).body.servers[0];
    expect([listed.accessIPv4, listed['OS-DCF:diskConfig']]).toEqual(['198.51.100.1', 'MANUAL']);
    const rebuilt = await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, {
      rebuild: { imageRef: await imageId(p.token), accessIPv6: '2001:db8::8', 'OS-DCF:diskConfig': 'AUTO' },
    });
    expect(rebuilt.status).toBe(202);
    expect([rebuilt.body.server.accessIPv6, rebuilt.body.server['OS-DCF:diskConfig']]).toEqual(['2001:db8::8', 'AUTO']);
    const after = await waitStatus(p, s.id, 'ACTIVE');
    expect([after.accessIPv4, after.accessIPv6, after['OS-DCF:diskConfig']]).toEqual(['198.51.100.1', '2001:db8::8', 'AUTO']);
  });
});
