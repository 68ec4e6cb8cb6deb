/**
 * A bucket's guards against opening it up by mistake: the public access block (`?publicAccessBlock`, its four
 * switches enforced by the BucketDO), ownership controls (`?ownershipControls`, and `x-amz-object-ownership` on
 * CreateBucket), and `?policyStatus` (whether the bucket policy is public, by the rule the block applies).
 */
import { policyIsPublic } from '../../durable/obs/access.ts';
import type { PublicAccessBlock } from '../../schema/bucket.ts';
import { configure, describe } from './bucket-settings.ts';
import type { S3Context } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import { childText, onlyChild, parseXml, readBodyText, xmlResponse } from './xml.ts';

/** The three rules of object ownership. */
export const OWNERSHIPS: readonly string[] = ['ObjectWriter', 'BucketOwnerPreferred', 'BucketOwnerEnforced'];

/** The `x-amz-object-ownership` of a CreateBucket, checked; null when absent. */
export function requestedOwnership(s: S3Context): string | null {
  const asked = s.request.headers.get('x-amz-object-ownership');
  if (asked === null) return null;
  if (!OWNERSHIPS.includes(asked))
    throw s3.invalidArgument(`Invalid x-amz-object-ownership header: ${asked}`, 'x-amz-object-ownership', asked);
  return asked;
}

/** Routes `?publicAccessBlock`, `?ownershipControls` and `?policyStatus`; null for any other request. */
export async function routeAccessControls(s: S3Context): Promise<Response | null> {
  const q = s.target.query;
  const m = s.request.method;
  if (q.has('publicAccessBlock')) {
    if (m === 'PUT') return configure(s, 'publicAccessBlock', JSON.stringify(parseBlock(await readBodyText(s.body))));
    if (m === 'DELETE') return configure(s, 'publicAccessBlock', null, 204);
    return getBlock(s);
  }
  if (q.has('ownershipControls')) {
    if (m === 'PUT') return configure(s, 'ownership', parseOwnership(await readBodyText(s.body)));
    if (m === 'DELETE') return configure(s, 'ownership', null, 204);
    return getOwnership(s);
  }
  if (q.has('policyStatus')) return getPolicyStatus(s);
  return null;
}

const SWITCHES = [
  ['BlockPublicAcls', 'blockPublicAcls'],
  ['IgnorePublicAcls', 'ignorePublicAcls'],
  ['BlockPublicPolicy', 'blockPublicPolicy'],
  ['RestrictPublicBuckets', 'restrictPublicBuckets'],
] as const;

/** A PublicAccessBlockConfiguration: each switch `true` or `false`, absent meaning false. */
function parseBlock(text: string): PublicAccessBlock {
  const doc = parseXml(text, 'PublicAccessBlockConfiguration');
  const block = {} as PublicAccessBlock;
  for (const [element, field] of SWITCHES) {
    const value = childText(doc, element)?.trim().toLowerCase();
    if (value !== undefined && value !== 'true' && value !== 'false') throw s3.malformedXml();
    block[field] = value === 'true';
  }
  return block;
}

async function getBlock(s: S3Context): Promise<Response> {
  const b = await describe(s, 'getBucketPublicAccessBlock');
  const block = b.publicAccessBlock;
  if (!block)
    throw new S3Error(404, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', {
      BucketName: b.name,
    });
  return xmlResponse('PublicAccessBlockConfiguration', Object.fromEntries(SWITCHES.map(([element, field]) => [element, block[field]])));
}

/** An OwnershipControls document with its one rule. */
function parseOwnership(text: string): string {
  const ownership = childText(onlyChild(parseXml(text, 'OwnershipControls'), 'Rule'), 'ObjectOwnership');
  if (!ownership || !OWNERSHIPS.includes(ownership)) throw s3.malformedXml();
  return ownership;
}

async function getOwnership(s: S3Context): Promise<Response> {
  const b = await describe(s, 'getBucketOwnershipControls');
  if (!b.ownership)
    throw new S3Error(404, 'OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', { BucketName: b.name });
  return xmlResponse('OwnershipControls', { Rule: { ObjectOwnership: b.ownership } });
}

async function getPolicyStatus(s: S3Context): Promise<Response> {
  const b = await describe(s, 'getBucketPolicyStatus');
  if (!b.policy) throw new S3Error(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: b.name });
  return xmlResponse('PolicyStatus', { IsPublic: policyIsPublic(b.policy) });
}
