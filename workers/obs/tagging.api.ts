/** Tags as S3's `Tagging` XML: a bucket's (up to 50) here, and the document an object's tags share with it. */

import { configure, describe } from './bucket-settings.ts';
import type { S3Context } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import { checkTags } from './object-fields.ts';
import { childText, parseXml, readBodyText, xmlResponse } from './xml.ts';

/** A bucket may carry 50 tags (an object 10, see object-fields.ts). */
const MAX_BUCKET_TAGS = 50;
/** A Tagging document of 50 tags at their longest is well under this. */
const MAX_TAGGING_BYTES = 64 * 1024;

const invalidTag = (message: string, key?: string) => new S3Error(400, 'InvalidTag', message, key === undefined ? {} : { TagKey: key });

/** Routes `?tagging` on a bucket. */
export async function routeBucketTagging(s: S3Context): Promise<Response> {
  switch (s.request.method) {
    case 'GET': {
      const b = await describe(s, 'getBucketTagging');
      if (!b.tagging) throw new S3Error(404, 'NoSuchTagSet', 'The TagSet does not exist', { BucketName: b.name });
      return taggingResponse(JSON.parse(b.tagging) as Record<string, string>);
    }
    case 'PUT': {
      const tags = await readTagging(s);
      if (Object.keys(tags).length > MAX_BUCKET_TAGS) throw invalidTag(`Bucket tag count cannot be greater than ${MAX_BUCKET_TAGS}`);
      checkTags(tags, MAX_BUCKET_TAGS);
      // An empty TagSet leaves the bucket without tags, as a DELETE would.
      return configure(s, 'tagging', Object.keys(tags).length ? JSON.stringify(tags) : null, 204);
    }
    case 'DELETE':
      return configure(s, 'tagging', null, 204);
    default:
      throw s3.methodNotAllowed(s.request.method, 'BUCKET');
  }
}

/** Reads a `Tagging` request body: each key once, none in the reserved `aws:` namespace. Limits are the caller's. */
export async function readTagging(s: S3Context): Promise<Record<string, string>> {
  const doc = parseXml(await readBodyText(s.body, MAX_TAGGING_BYTES), 'Tagging');
  const set = doc.TagSet;
  if (set === undefined) throw s3.malformedXml();
  const list = set && typeof set === 'object' ? ((set as { Tag?: unknown[] }).Tag ?? []) : [];
  // A Map, then fromEntries: a key such as `__proto__` stays an ordinary tag.
  const tags = new Map<string, string>();
  for (const tag of list) {
    const key = childText(tag, 'Key');
    const value = childText(tag, 'Value');
    if (key === undefined || value === undefined) throw s3.malformedXml();
    if (tags.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key', key);
    if (key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:', key);
    tags.set(key, value);
  }
  return Object.fromEntries(tags);
}

/** A tag set as S3's `Tagging` document. */
export function taggingResponse(tags: Record<string, string>, headers: Record<string, string> = {}): Response {
  return xmlResponse('Tagging', { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } }, { headers });
}
