/** OBS bucket policy conditions: the operators on their own, then source IPs, transport and prefixes in requests. */
import { describe, expect, it } from 'vitest';
import { type ConditionContext, conditionsHold, parseConditions } from '../../durable/obs/policy-conditions.ts';
import { dispatch } from '../request.ts';
import { createBucket, OBS, type ObsUser, obsUser, put, s3, xmlText } from './fixtures.ts';

const invalid = (message: string) => new Error(message);
const holds = (condition: unknown, context: ConditionContext) => conditionsHold(parseConditions(condition, invalid), context);

describe('policy conditions', () => {
  it('matches addresses in IPv4 and IPv6 ranges, and NotIpAddress the rest', () => {
    const v4 = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7'] } };
    expect(holds(v4, { 'aws:sourceip': ['203.0.113.200'] })).toBe(true);
    expect(holds(v4, { 'aws:sourceip': ['198.51.100.7'] })).toBe(true);
    expect(holds(v4, { 'aws:sourceip': ['198.51.100.8'] })).toBe(false);
    expect(holds(v4, { 'aws:sourceip': ['2001:db8::1'] })).toBe(false);
    expect(holds(v4, {})).toBe(false);
    const v6 = { IpAddress: { 'aws:SourceIp': '2001:db8:1::/48' } };
    expect(holds(v6, { 'aws:sourceip': ['2001:db8:1:ffff::5'] })).toBe(true);
    expect(holds(v6, { 'aws:sourceip': ['2001:db8:2::5'] })).toBe(false);
    expect(holds({ IpAddress: { 'aws:SourceIp': '::ffff:10.0.0.0/104' } }, { 'aws:sourceip': ['::ffff:10.1.2.3'] })).toBe(true);
    expect(holds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:sourceip': ['192.0.2.1'] })).toBe(true);
    expect(holds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:sourceip': ['10.9.9.9'] })).toBe(false);
  });

  it('treats a missing key as no match, but as a match for negated operators, IfExists and Null', () => {
    expect(holds({ StringEquals: { 's3:prefix': 'a/' } }, {})).toBe(false);
    expect(holds({ StringNotEquals: { 's3:prefix': 'a/' } }, {})).toBe(true);
    expect(holds({ StringEqualsIfExists: { 's3:prefix': 'a/' } }, {})).toBe(true);
    expect(holds({ StringEqualsIfExists: { 's3:prefix': 'a/' } }, { 's3:prefix': ['b/'] })).toBe(false);
    expect(holds({ Null: { 's3:prefix': 'true' } }, {})).toBe(true);
    expect(holds({ Null: { 's3:prefix': 'false' } }, {})).toBe(false);
    expect(holds({ Null: { 's3:prefix': 'false' } }, { 's3:prefix': [''] })).toBe(true);
  });

  it('compares strings, wildcards, numbers, dates and booleans; keys in any case; every condition must hold', () => {
    expect(holds({ StringLike: { 'S3:Prefix': ['home/*', 'pub?ic/'] } }, { 's3:prefix': ['public/'] })).toBe(true);
    expect(holds({ StringNotLike: { 's3:prefix': 'home/*' } }, { 's3:prefix': ['home/x'] })).toBe(false);
    expect(holds({ StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, { 'aws:username': ['alice'] })).toBe(true);
    expect(holds({ NumericLessThanEquals: { 's3:max-keys': 10 } }, { 's3:max-keys': ['10'] })).toBe(true);
    expect(holds({ NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': ['10'] })).toBe(false);
    expect(holds({ NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': ['ten'] })).toBe(false);
    const before = { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } };
    expect(holds(before, { 'aws:currenttime': ['2026-11-26T12:00:00.000Z'] })).toBe(true);
    expect(holds({ DateGreaterThan: { 'aws:EpochTime': '1893456000' } }, { 'aws:epochtime': ['1800000000'] })).toBe(false);
    expect(holds({ Bool: { 'aws:SecureTransport': false } }, { 'aws:securetransport': ['false'] })).toBe(true);
    const both = { Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 's3:prefix': 'a/' } };
    expect(holds(both, { 'aws:securetransport': ['true'], 's3:prefix': ['a/'] })).toBe(true);
    expect(holds(both, { 'aws:securetransport': ['true'], 's3:prefix': ['b/'] })).toBe(false);
  });

  it('qualifies multivalued keys with ForAnyValue and ForAllValues', () => {
    const context = { 'aws:tagkeys': ['team', 'cost'] };
    expect(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, context)).toBe(true);
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, context)).toBe(false);
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost', 'env'] } }, context)).toBe(true);
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, {})).toBe(true);
  });

  it('refuses unknown operators, values of the wrong kind and malformed blocks', () => {
    for (const bad of [
      { StringSortOf: { 's3:prefix': 'a' } },
      { NullIfExists: { 's3:prefix': 'true' } },
      { IpAddress: { 'aws:SourceIp': '300.1.1.1' } },
      { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } },
      { NumericEquals: { 's3:max-keys': 'ten' } },
      { DateLessThan: { 'aws:CurrentTime': 'someday' } },
      { Bool: { 'aws:SecureTransport': 'yes' } },
      { StringEquals: { 's3:prefix': [] } },
      { StringEquals: { 's3:prefix': { nested: 1 } } },
      { StringEquals: 'a' },
      ['StringEquals'],
    ]) {
      expect(() => parseConditions(bad, invalid), JSON.stringify(bad)).toThrow();
    }
  });
});

/** A request signed by `user` over HTTPS (the test origin is plain HTTP). */
async function overHttps(user: ObsUser, path: string, init: RequestInit = {}): Promise<Response> {
  const request = await user.client.sign(OBS.replace(/^http:/, 'https:') + path, init);
  return dispatch(request);
}

async function setPolicy(owner: ObsUser, bucket: string, statements: object[]): Promise<Response> {
  return s3(owner, `/${bucket}?policy`, { method: 'PUT', body: JSON.stringify({ Version: '2008-10-17', Statement: statements }) });
}

describe('bucket policies with conditions', () => {
  it('opens objects to anonymous readers from one network only', async () => {
    const owner = await obsUser();
    const b = await createBucket(owner);
    await put(owner, b, 'doc', 'for the office');
    const allow = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` };
    const put1 = await setPolicy(owner, b, [{ ...allow, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }]);
    expect(put1.status).toBe(204);
    const from = (ip?: string) => s3(null, `/${b}/doc`, { headers: ip ? { 'cf-connecting-ip': ip } : {} });
    expect(await (await from('203.0.113.9')).text()).toBe('for the office');
    expect((await from('198.51.100.9')).status).toBe(403);
    expect((await from()).status).toBe(403);
  });

  it('denies everyone, the owner too, over plain HTTP when the policy requires TLS', async () => {
    const owner = await obsUser();
    const b = await createBucket(owner);
    await put(owner, b, 'k', 'secret');
    const deny = {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    expect((await setPolicy(owner, b, [deny])).status).toBe(204);
    const plain = await s3(owner, `/${b}/k`);
    expect(plain.status).toBe(403);
    expect(xmlText(await plain.text(), 'Code')).toBe('AccessDenied');
    expect(await (await overHttps(owner, `/${b}/k`)).text()).toBe('secret');
    expect((await overHttps(owner, `/${b}?policy`, { method: 'DELETE' })).status).toBe(204);
    expect((await s3(owner, `/${b}/k`)).status).toBe(200);
  });

  it('lets another account list only under the prefix the policy names', async () => {
    const [owner, guest] = await Promise.all([obsUser(), obsUser()]);
    const b = await createBucket(owner);
    await put(owner, b, 'shared/a', 'a');
    await put(owner, b, 'private/b', 'b');
    const allow = {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${guest.account.domainId}:root` },
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::${b}`,
      Condition: { StringLike: { 's3:prefix': 'shared/*' } },
    };
    expect((await setPolicy(owner, b, [allow])).status).toBe(204);
    const listed = await s3(guest, `/${b}?list-type=2&prefix=shared/`);
    expect(listed.status).toBe(200);
    expect(xmlText(await listed.text(), 'Key')).toBe('shared/a');
    expect((await s3(guest, `/${b}?list-type=2&prefix=private/`)).status).toBe(403);
    expect((await s3(guest, `/${b}?list-type=2`)).status).toBe(403);
  });

  it('tells requests apart by how they were signed: V4 or V2, header or presigned URL', async () => {
    const owner = await obsUser();
    const b = await createBucket(owner);
    await put(owner, b, 'k', 'signed');
    const v2 = async () => {
      const date = new Date().toUTCString();
      const toSign = `GET\n\n\n${date}\n/${b}/k`;
      const key = await crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(owner.account.credential!.secret),
        { name: 'HMAC', hash: 'SHA-1' },
        false,
        ['sign'],
      );
      const signature = btoa(
        String.fromCharCode(...new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(toSign)))),
      );
      const request = new Request(`${OBS}/${b}/k`, {
        headers: { Date: date, Authorization: `AWS ${owner.account.credential!.access}:${signature}` },
      });
      return dispatch(request);
    };
    const presigned = async () => {
      const request = await owner.client.sign(`${OBS}/${b}/k`, { aws: { signQuery: true } });
      return dispatch(request);
    };
    expect((await v2()).status).toBe(200);
    const deny = (condition: object) => ({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${b}/*`,
      Condition: condition,
    });
    expect((await setPolicy(owner, b, [deny({ StringNotEquals: { 's3:signatureversion': 'AWS4-HMAC-SHA256' } })])).status).toBe(204);
    expect((await v2()).status).toBe(403);
    expect((await s3(owner, `/${b}/k`)).status).toBe(200);
    expect((await presigned()).status).toBe(200);
    expect((await setPolicy(owner, b, [deny({ StringEquals: { 's3:authType': 'REST-QUERY-STRING' } })])).status).toBe(204);
    expect((await presigned()).status).toBe(403);
    expect((await v2()).status).toBe(200);
    expect(await (await s3(owner, `/${b}/k`)).text()).toBe('signed');
  });

  it('refuses a policy whose condition it cannot evaluate, keeping the one in place', async () => {
    const owner = await obsUser();
    const b = await createBucket(owner);
    const base = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` };
    const refused = await setPolicy(owner, b, [{ ...base, Condition: { StringSortOf: { 's3:prefix': 'a' } } }]);
    expect(refused.status).toBe(400);
    expect(xmlText(await refused.text(), 'Code')).toBe('MalformedPolicy');
    expect((await s3(owner, `/${b}?policy`)).status).toBe(404);
  });
});
