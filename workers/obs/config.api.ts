/**
 * A bucket's settings: location, versioning, ACL and policy here; CORS, lifecycle and tags in their own modules.
 * Each is read and written as S3's XML (JSON for policies), validated here, stored by the BucketDO.
 */

import type { PolicyStatement } from '../../durable/obs/access.ts';
import { parseConditions } from '../../durable/obs/policy-conditions.ts';
import { routeAccessControls } from './access-controls.api.ts';
import { aclDocument, aclFromRequest } from './acl.ts';
import { configure, describe } from './bucket-settings.ts';
import type { S3Context } from './context.ts';
import { routeBucketCors } from './cors.ts';
import { S3Error, s3 } from './errors.ts';
import { routeLifecycle } from './lifecycle.api.ts';
import { routeObjectLock } from './lock.api.ts';
import { s3StorageClassName, storageClassNamed } from './object-fields.ts';
import { routeBucketTagging } from './tagging.api.ts';
import { bucketAcl, setBucketAcl, setVersioning, versioningOf } from './usecases/settings.ts';
import { childText, parseXml, readBodyText, rootText, xmlResponse, xmlTextResponse } from './xml.ts';

/** Routes bucket setting requests (`?versioning`, `?acl`, `?policy`, `?location`, `?object-lock`, ...); null for anything else. */
export async function routeBucketConfig(s: S3Context): Promise<Response | null> {
  const q = s.target.query;
  const m = s.request.method;
  if (q.has('location') && m === 'GET') {
    const b = await describe(s, 'getBucketLocation');
    return locationResponse(b.region);
  }
  if (q.has('versioning')) {
    if (m === 'GET') return getVersioning(s);
    if (m === 'PUT') return putVersioning(s);
  }
  if (q.has('acl')) {
    if (m === 'GET') return getAcl(s);
    if (m === 'PUT') return putAcl(s);
  }
  if (q.has('policy')) {
    if (m === 'GET') return getPolicy(s);
    if (m === 'PUT') return putPolicy(s);
    if (m === 'DELETE') return configure(s, 'policy', null, 204);
  }
  if (q.has('storageClass') || q.has('storagePolicy')) {
    if (m === 'GET') return getStorageClass(s);
    if (m === 'PUT') return putStorageClass(s);
  }
  if (q.has('cors')) return routeBucketCors(s);
  if (q.has('lifecycle')) return routeLifecycle(s);
  if (q.has('tagging')) return routeBucketTagging(s);
  return (await routeObjectLock(s)) ?? (await routeAccessControls(s));
}

function locationResponse(region: string): Response {
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`,
    {
      headers: { 'Content-Type': 'application/xml' },
    },
  );
}

async function getVersioning(s: S3Context): Promise<Response> {
  return xmlResponse('VersioningConfiguration', { Status: (await versioningOf(s.user, s.target.bucket!)) ?? undefined });
}

async function putVersioning(s: S3Context): Promise<Response> {
  const doc = parseXml(await readBodyText(s.body), 'VersioningConfiguration');
  const status = childText(doc, 'Status');
  if (status !== 'Enabled' && status !== 'Suspended') throw s3.malformedXml();
  await setVersioning(s.user, s.target.bucket!, status);
  return new Response(null, { status: 200 });
}

async function getAcl(s: S3Context): Promise<Response> {
  const { acl, owner } = await bucketAcl(s.user, s.target.bucket!);
  return aclDocument(acl, owner);
}

async function putAcl(s: S3Context): Promise<Response> {
  const b = await describe(s, 'putBucketAcl');
  await setBucketAcl(s.user, b.name, await aclFromRequest(s, b.ownerDomainId));
  return new Response(null, { status: 200 });
}

async function getPolicy(s: S3Context): Promise<Response> {
  const b = await describe(s, 'getBucketPolicy');
  if (!b.policy) throw new S3Error(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: b.name });
  return new Response((JSON.parse(b.policy) as { text: string }).text, { headers: { 'Content-Type': 'application/json' } });
}

const malformedPolicy = (message: string) => new S3Error(400, 'MalformedPolicy', message);
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Validates a bucket policy (the statements a user writes: principal, action, resource, effect, conditions) and normalises it. */
export function parsePolicy(text: string, bucket: string): { text: string; statements: PolicyStatement[] } {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  const statements = list(doc?.Statement);
  if (!statements.length) throw malformedPolicy('Missing required field Statement');
  return {
    text,
    statements: statements.map((raw) => {
      const st = raw as Record<string, unknown>;
      if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformedPolicy('Invalid effect');
      if (st.NotPrincipal !== undefined || st.NotResource !== undefined)
        throw malformedPolicy('NotPrincipal and NotResource are not supported');
      const principal = st.Principal;
      let principals: string[];
      if (principal === '*') principals = ['*'];
      else if (principal && typeof principal === 'object') {
        principals = Object.entries(principal as Record<string, unknown>).flatMap(([kind, v]) => {
          if (!['AWS', 'ID', 'CanonicalUser'].includes(kind)) throw malformedPolicy(`Invalid principal type ${kind}`);
          return list(v).map(String);
        });
      } else throw malformedPolicy('Missing required field Principal');
      const actions = list(st.Action).map(String);
      const notActions = list(st.NotAction).map(String);
      if (!actions.length && !notActions.length) throw malformedPolicy('Missing required field Action');
      for (const a of [...actions, ...notActions])
        if (!/^(s3|obs):[\w*?]+$|^\*$/i.test(a)) throw malformedPolicy(`Policy has invalid action ${a}`);
      const resources = list(st.Resource).map(String);
      if (!resources.length) throw malformedPolicy('Missing required field Resource');
      for (const r of resources) {
        const path = r.replace(/^arn:aws:s3:::/, '');
        if (path.split('/')[0] !== bucket && path !== '*') throw malformedPolicy('Policy has invalid resource');
      }
      return {
        effect: st.Effect,
        principals,
        actions: actions.map((a) => a.replace(/^obs:/i, 's3:')),
        notActions: notActions.map((a) => a.replace(/^obs:/i, 's3:')),
        resources,
        conditions: parseConditions(st.Condition, malformedPolicy),
      };
    }),
  };
}

async function putPolicy(s: S3Context): Promise<Response> {
  const policy = parsePolicy(await readBodyText(s.body, 20 * 1024), s.target.bucket!);
  return configure(s, 'policy', JSON.stringify(policy), 204);
}

/**
 * The bucket's default storage class, for objects whose PUT names none: OBS's `?storageClass`
 * (`<StorageClass>WARM</StorageClass>`) or its S3 dialect's `?storagePolicy` (`<StoragePolicy><DefaultStorageClass>
 * STANDARD_IA</DefaultStorageClass></StoragePolicy>`, S3's names for the classes).
 */
async function getStorageClass(s: S3Context): Promise<Response> {
  const b = await describe(s, 'getBucketStoragePolicy');
  if (s.target.query.has('storagePolicy')) {
    return xmlResponse('StoragePolicy', { DefaultStorageClass: s3StorageClassName(b.defaultStorageClass) });
  }
  return xmlTextResponse('StorageClass', b.defaultStorageClass);
}

async function putStorageClass(s: S3Context): Promise<Response> {
  const text = await readBodyText(s.body);
  const asked = s.target.query.has('storagePolicy')
    ? childText(parseXml(text, 'StoragePolicy'), 'DefaultStorageClass')
    : rootText(text, 'StorageClass');
  if (!asked?.trim()) throw s3.malformedXml();
  return configure(s, 'defaultStorageClass', storageClassNamed(asked));
}
