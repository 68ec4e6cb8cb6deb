/**
 * A Signature V4 scoped to another region of this cloud is refused (issue 17): the endpoint is its region's (the
 * host's `oss.{region}` or, without one, the default region), as S3 refuses a signature made for another.
 */
import { AwsClient } from 'aws4fetch';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../workers/obs/auth/authenticate.ts';
import { ENDPOINT, ENV, type Key, newKey, s3Failure, s3Request } from './auth-fixtures.ts';

let key: Key;
beforeAll(async () => {
  key = await newKey('region');
}, 60_000);

const signer = (region: string) => new AwsClient({ accessKeyId: key.access, secretAccessKey: key.secret, service: 's3', region });

describe('Signature V4 region scope', () => {
  it('refuses a header signature for eu-west-1 at the eu-west-0 endpoint', async () => {
    const signed = await signer('eu-west-1').sign(`${ENDPOINT}/bucket/a.txt`, { method: 'GET' });
    const err = await s3Failure(authenticate(ENV, s3Request(signed)));
    expect([err.status, err.code, err.message]).toEqual([
      400,
      'AuthorizationHeaderMalformed',
      "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'eu-west-0'",
    ]);
    const host = await s3Failure(authenticate(ENV, { ...s3Request(signed), region: 'eu-west-0' }));
    expect(host.code).toBe('AuthorizationHeaderMalformed');
  });

  it('refuses a presigned URL for another region in the query form', async () => {
    const signed = await signer('eu-west-1').sign(`${ENDPOINT}/bucket/a.txt?X-Amz-Expires=60`, { method: 'GET', aws: { signQuery: true } });
    const err = await s3Failure(authenticate(ENV, s3Request(signed)));
    expect([err.code, err.message]).toEqual([
      'AuthorizationQueryParametersError',
      "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'eu-west-0'",
    ]);
  });

  it("accepts the endpoint's own region, and a host that names eu-west-1 takes eu-west-1", async () => {
    const own = await signer('eu-west-0').sign(`${ENDPOINT}/bucket/a.txt`, { method: 'GET' });
    expect((await authenticate(ENV, s3Request(own))).caller?.access).toBe(key.access);
    const west1 = await signer('eu-west-1').sign(`${ENDPOINT}/bucket/a.txt`, { method: 'GET' });
    expect((await authenticate(ENV, { ...s3Request(west1), region: 'eu-west-1' })).caller?.access).toBe(key.access);
    const wrong = await s3Failure(authenticate(ENV, { ...s3Request(own), region: 'eu-west-1' }));
    expect(wrong.message).toBe("The authorization header is malformed; the region 'eu-west-0' is wrong; expecting 'eu-west-1'");
  });
});
