/**
 * The project-level Nova resources: key pairs (imported or generated), server groups, availability zones,
 * limits and quota sets.
 */
import { describe, expect, it } from 'vitest';
import { expectNovaError, nova } from '../request.ts';
import { activeServer, computeProject } from './fixtures.ts';

// Made with ssh-keygen; fingerprints from `ssh-keygen -l -E md5`.
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIux6InhE6WymlMQ2GssXJIqtJIaBilCj+YWI/a7K9pY alice@laptop';
const ED25519_FP = '1e:1d:cd:ed:e6:95:d3:d5:6d:b9:b1:c4:ac:d9:22:b9';
const RSA =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCvX27AI5C+nzY+deL6XQ0ikJNRxale09zRNEmmJEsl05i8q1vruLShT1p/YBLGZKu6wdMWF+v0+Ak+DAmhSl+awHdZnPr9h3BPGgjsoBJ0eVsJ0VBI8LZ8wHLv88Cx+GAlXhGtE4kUzGixq1mYhR/Fk3c3pGHGtZU8FNjXbHAvpqdGM0yNbOJYnMJGoEZ0/DagYLjRiZYl1tVnsWgeRYALoYoaz84votgZZR+pPOuo7PyZShqf1Eb/O04yFrbmBfxcIrShYfhAQ60sedpYxcbPaEJqWnJIdSaDg+LtRvenkZmlgIC5a/EWxVq1N2u31t7rpn3QNmRcfnntN5I9hmFP bob@desk';
const RSA_FP = 'fc:74:30:d5:59:e2:09:f7:e8:34:af:29:52:20:76:38';
const FINGERPRINT = /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/;

const b64ToBytes = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

/** The SSH wire strings of a public key blob: key type, then its fields (e and n for RSA). */
function sshFields(blob: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let at = 0; at < blob.length; ) {
    const len = view.getUint32(at);
    out.push(blob.slice(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}

const stripZero = (b: Uint8Array) => (b[0] === 0 ? b.slice(1) : b);

describe('key pairs', () => {
  it('imports ssh-ed25519 and ssh-rsa keys with their MD5 fingerprints, lists, shows and deletes them', async () => {
    const p = await computeProject();
    for (const [name, key, fp] of [
      ['alice', ED25519, ED25519_FP],
      ['bob', RSA, RSA_FP],
    ] as const) {
      const res = await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name, public_key: key } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.keypair).toEqual({ name, public_key: key, fingerprint: fp, user_id: p.account.userId });
      expect(res.body.keypair).not.toHaveProperty('private_key');
    }
    const list = await nova(p.token, p.project, 'GET', '/os-keypairs');
    expect(list.status).toBe(200);
    expect(
      list.body.keypairs.map((k: { keypair: { name: string } }) => k.keypair).sort((a: any, b: any) => a.name.localeCompare(b.name)),
    ).toEqual([
      { name: 'alice', public_key: ED25519, fingerprint: ED25519_FP },
      { name: 'bob', public_key: RSA, fingerprint: RSA_FP },
    ]);
    const shown = await nova(p.token, p.project, 'GET', '/os-keypairs/alice');
    expect(shown.status).toBe(200);
    expect(shown.body.keypair).toMatchObject({ name: 'alice', public_key: ED25519, fingerprint: ED25519_FP, user_id: p.account.userId });
    expect(shown.body.keypair.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);

    // A server built with a key pair keeps its name after the key pair is deleted, as in Nova.
    const s = await activeServer(p, { key_name: 'alice' });
    expect(s.key_name).toBe('alice');
    const del = await nova(p.token, p.project, 'DELETE', '/os-keypairs/alice');
    expect(del.status).toBe(202);
    expect(del.body).toBeNull();
    expectNovaError(await nova(p.token, p.project, 'GET', '/os-keypairs/alice'), 404, 'itemNotFound');
    expectNovaError(await nova(p.token, p.project, 'DELETE', '/os-keypairs/alice'), 404, 'itemNotFound');
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server.key_name).toBe('alice');
    expect((await nova(p.token, p.project, 'GET', '/os-keypairs')).body.keypairs.map((k: any) => k.keypair.name)).toEqual(['bob']);
  });

  it('generates a key pair: its private key once, a matching OpenSSH public key and its fingerprint', async () => {
    const p = await computeProject();
    const res = await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name: 'made' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const k = res.body.keypair;
    expect(k.name).toBe('made');
    expect(k.fingerprint).toMatch(FINGERPRINT);
    expect(k.private_key).toMatch(/^-----BEGIN (RSA )?PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END (RSA )?PRIVATE KEY-----\n?$/);
    const [type, blob64] = k.public_key.split(' ');
    expect(type).toBe('ssh-rsa');

    // The fingerprint is the MD5 of the public key blob.
    const blob = b64ToBytes(blob64);
    const md5 = new Uint8Array(await crypto.subtle.digest('MD5', blob));
    expect(Array.from(md5, (b) => b.toString(16).padStart(2, '0')).join(':')).toBe(k.fingerprint);

    // The private key is the pair of the public one: same modulus and exponent.
    const [kind, e, n] = sshFields(blob);
    expect(new TextDecoder().decode(kind)).toBe('ssh-rsa');
    const pem = k.private_key.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const priv = await crypto.subtle.importKey('pkcs8', b64ToBytes(pem), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
    const jwk = (await crypto.subtle.exportKey('jwk', priv)) as JsonWebKey;
    expect(jwk.n).toBe(b64url(stripZero(n!)));
    expect(jwk.e).toBe(b64url(stripZero(e!)));

    // The private key is shown only once.
    const shown = (await nova(p.token, p.project, 'GET', '/os-keypairs/made')).body.keypair;
    expect(shown).not.toHaveProperty('private_key');
    expect(shown).toMatchObject({ public_key: k.public_key, fingerprint: k.fingerprint });
  });

  it('refuses garbage (400), a duplicate name (409) and unsafe names, changing nothing', async () => {
    const p = await computeProject();
    expect((await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name: 'k', public_key: ED25519 } })).status).toBe(200);
    for (const public_key of [
      'not a key',
      'ssh-rsa',
      'ssh-dss AAAAB3NzaC1kc3MAAACBAP',
      'ssh-rsa !!!notbase64!!!',
      // An ed25519 blob declared as RSA.
      ED25519.replace('ssh-ed25519', 'ssh-rsa'),
    ]) {
      expectNovaError(await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name: 'g', public_key } }), 400, 'badRequest');
    }
    expectNovaError(
      await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name: 'k', public_key: RSA } }),
      409,
      'conflictingRequest',
    );
    expectNovaError(await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name: 'k' } }), 409, 'conflictingRequest');
    for (const name of ['bad/name', 'semi;colon', '', 'x'.repeat(256)]) {
      expectNovaError(await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name, public_key: RSA } }), 400, 'badRequest');
    }
    expectNovaError(
      await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name: 'x', public_key: RSA, extra: 1 } }),
      400,
      'badRequest',
    );
    const list = (await nova(p.token, p.project, 'GET', '/os-keypairs')).body.keypairs;
    expect(list).toEqual([{ keypair: { name: 'k', public_key: ED25519, fingerprint: ED25519_FP } }]);
  });
});

describe('server groups', () => {
  it('creates, lists, shows and deletes groups of each policy, and refuses bad ones', async () => {
    const p = await computeProject();
    const made = [];
    for (const policy of ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity']) {
      // The soft policies came with 2.15 (whose groups also show their project and user, since 2.13).
      const soft = policy.startsWith('soft-');
      const res = await nova(
        p.token,
        p.project,
        'POST',
        '/os-server-groups',
        { server_group: { name: `g-${policy}`, policies: [policy] } },
        soft ? { 'OpenStack-API-Version': 'compute 2.15' } : {},
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.server_group).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: `g-${policy}`,
        policies: [policy],
        members: [],
        metadata: {},
        ...(soft ? { project_id: p.project, user_id: p.account.userId } : {}),
      });
      made.push(res.body.server_group);
    }
    const list = await nova(p.token, p.project, 'GET', '/os-server-groups');
    expect(list.body.server_groups.map((g: { id: string }) => g.id).sort()).toEqual(made.map((g) => g.id).sort());
    expect((await nova(p.token, p.project, 'GET', `/os-server-groups/${made[0].id}`)).body.server_group).toEqual(made[0]);

    for (const body of [
      { server_group: { name: 'x', policies: ['spread'] } },
      { server_group: { name: 'x', policies: [] } },
      { server_group: { name: 'x', policies: ['affinity', 'anti-affinity'] } },
      { server_group: { name: '', policies: ['affinity'] } },
      { server_group: { name: 'x' } },
      { server_group: { name: 'x', policies: ['affinity'], rules: {}, extra: 1 } },
    ]) {
      expectNovaError(await nova(p.token, p.project, 'POST', '/os-server-groups', body), 400, 'badRequest');
    }

    const del = await nova(p.token, p.project, 'DELETE', `/os-server-groups/${made[1].id}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeNull();
    expectNovaError(await nova(p.token, p.project, 'GET', `/os-server-groups/${made[1].id}`), 404, 'itemNotFound');
    expectNovaError(await nova(p.token, p.project, 'DELETE', `/os-server-groups/${made[1].id}`), 404, 'itemNotFound');
    expect((await nova(p.token, p.project, 'GET', '/os-server-groups')).body.server_groups).toHaveLength(3);
  });
});

describe('availability zones, limits and quotas', () => {
  it("lists the region's zones", async () => {
    const p = await computeProject();
    const res = await nova(p.token, p.project, 'GET', '/os-availability-zone');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      availabilityZoneInfo: ['eu-west-0a', 'eu-west-0b', 'eu-west-0c'].map((zoneName) => ({
        zoneName,
        zoneState: { available: true },
        hosts: null,
      })),
    });
    const west1 = await computeProject('nova', { region: 1 });
    const zones = (await nova(west1.token, west1.project, 'GET', '/os-availability-zone')).body.availabilityZoneInfo;
    expect(zones.map((z: { zoneName: string }) => z.zoneName)).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  it('shows the limits and quota sets, with what servers, key pairs and groups use', async () => {
    const p = await computeProject();
    const empty = (await nova(p.token, p.project, 'GET', '/limits')).body.limits;
    expect(empty.rate).toEqual([]);
    expect(empty.absolute).toMatchObject({
      maxTotalInstances: 20,
      maxTotalCores: 80,
      maxTotalRAMSize: 163840,
      maxTotalKeypairs: 100,
      maxServerMeta: 128,
      maxServerGroups: 10,
      maxServerGroupMembers: 16,
      totalInstancesUsed: 0,
      totalCoresUsed: 0,
      totalRAMUsed: 0,
      totalServerGroupsUsed: 0,
    });

    await activeServer(p, { flavorRef: 's3.large.4' });
    expect((await nova(p.token, p.project, 'POST', '/os-keypairs', { keypair: { name: 'k', public_key: RSA } })).status).toBe(200);
    expect(
      (await nova(p.token, p.project, 'POST', '/os-server-groups', { server_group: { name: 'g', policies: ['affinity'] } })).status,
    ).toBe(200);

    const used = (await nova(p.token, p.project, 'GET', '/limits')).body.limits.absolute;
    expect(used).toMatchObject({ totalInstancesUsed: 1, totalCoresUsed: 2, totalRAMUsed: 8192, totalServerGroupsUsed: 1 });

    const set = await nova(p.token, p.project, 'GET', `/os-quota-sets/${p.project}`);
    expect(set.status).toBe(200);
    expect(set.body.quota_set).toMatchObject({
      id: p.project,
      instances: 20,
      cores: 80,
      ram: 163840,
      key_pairs: 100,
      server_groups: 10,
      server_group_members: 16,
      metadata_items: 128,
    });
    const detail = (await nova(p.token, p.project, 'GET', `/os-quota-sets/${p.project}/detail`)).body.quota_set;
    expect(detail).toMatchObject({
      instances: { limit: 20, in_use: 1, reserved: 0 },
      cores: { limit: 80, in_use: 2, reserved: 0 },
      ram: { limit: 163840, in_use: 8192, reserved: 0 },
      key_pairs: { limit: 100, in_use: 1, reserved: 0 },
      server_groups: { limit: 10, in_use: 1, reserved: 0 },
    });
    // Another project's quota set is not shown to a customer.
    const other = await computeProject();
    expectNovaError(await nova(p.token, p.project, 'GET', `/os-quota-sets/${other.project}`), 404, 'itemNotFound');
    expectNovaError(await nova(p.token, p.project, 'GET', `/os-quota-sets/${other.project}/detail`), 404, 'itemNotFound');
  });
});
