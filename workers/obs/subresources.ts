/**
 * Every S3 (and OBS) sub-resource, with the methods this store serves on it at the bucket and at the object
 * level. A request that names a sub-resource is refused here, before any routing, unless the table says it is
 * served: so a sub-resource the store does not implement (`?torrent`, `?append`, ...) can never
 * fall through to a plain object read, write or delete.
 */
import type { S3Context } from './context.ts';
import { s3 } from './errors.ts';

type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

/** What one level serves: these methods; any other method is refused with `others`. */
interface Served {
  methods: readonly Method[];
  others: 'MethodNotAllowed' | 'NotImplemented';
}
interface SubResource {
  bucket?: Served;
  object?: Served;
}

/** A sub-resource this store implements with these methods; other methods are MethodNotAllowed. */
const serves = (...methods: Method[]): Served => ({ methods, others: 'MethodNotAllowed' });
/** A feature not offered whose configuration reads as "not configured" (unoffered.api.ts); setting it is NotImplemented. */
const readsUnconfigured: Served = { methods: ['GET'], others: 'NotImplemented' };

/**
 * The table. A name absent at a level is not implemented there (NotImplemented, 501). Qualifiers of a
 * sub-resource or of a plain request (`versionId`, `partNumber`, `select-type`, `response-*`, listing
 * parameters) are not sub-resources and are not listed.
 */
export const SUBRESOURCES: Readonly<Record<string, SubResource>> = {
  acl: { bucket: serves('GET', 'PUT'), object: serves('GET', 'PUT') },
  tagging: { bucket: serves('GET', 'PUT', 'DELETE'), object: serves('GET', 'PUT', 'DELETE') },
  uploads: { bucket: serves('GET'), object: serves('POST') },
  uploadId: { object: serves('GET', 'PUT', 'POST', 'DELETE') },
  versioning: { bucket: serves('GET', 'PUT') },
  versions: { bucket: serves('GET') },
  attributes: { object: serves('GET') },
  location: { bucket: serves('GET') },
  policy: { bucket: serves('GET', 'PUT', 'DELETE') },
  cors: { bucket: serves('GET', 'PUT', 'DELETE') },
  lifecycle: { bucket: serves('GET', 'PUT', 'DELETE') },
  storageClass: { bucket: serves('GET', 'PUT') },
  storagePolicy: { bucket: serves('GET', 'PUT') },
  delete: { bucket: serves('POST') },
  accelerate: { bucket: readsUnconfigured },
  requestPayment: { bucket: readsUnconfigured },
  logging: { bucket: readsUnconfigured },
  notification: { bucket: readsUnconfigured },
  website: { bucket: readsUnconfigured },
  replication: { bucket: readsUnconfigured },
  encryption: { bucket: readsUnconfigured },
  'object-lock': { bucket: serves('GET', 'PUT') },
  ownershipControls: { bucket: serves('GET', 'PUT', 'DELETE') },
  publicAccessBlock: { bucket: serves('GET', 'PUT', 'DELETE') },
  policyStatus: { bucket: serves('GET') },
  retention: { object: serves('GET', 'PUT') },
  'legal-hold': { object: serves('GET', 'PUT') },
  // Not implemented at any level.
  analytics: {},
  inventory: {},
  metrics: {},
  'intelligent-tiering': {},
  restore: {},
  select: {},
  torrent: {},
  renameObject: {},
  session: {},
  metadataTable: {},
  // OBS's own: bucket quota and usage, custom domains, mirroring, append/modify/truncate/rename of objects, ...
  quota: {},
  storageinfo: {},
  customdomain: {},
  mirrorBackToSource: {},
  directcoldaccess: {},
  obsworkflowtriggerpolicy: {},
  metadata: {},
  append: {},
  modify: {},
  truncate: {},
  rename: {},
};

/**
 * The sub-resource a request names at `level` (null when none), after refusing one the table does not serve
 * with this method: NotImplemented (501), or MethodNotAllowed (405) for another method of a served one.
 */
export function servedSubresource(s: S3Context, level: 'bucket' | 'object'): string | null {
  const names = [...new Set(s.target.query.keys())].filter((k) => Object.hasOwn(SUBRESOURCES, k));
  if (!names.length) return null;
  const method = s.request.method;
  for (const name of names) {
    const served = SUBRESOURCES[name]![level];
    if (served?.methods.includes(method as Method)) continue;
    if (served?.others === 'MethodNotAllowed') throw s3.methodNotAllowed(method, level === 'bucket' ? 'BUCKET' : 'OBJECT');
    throw s3.notImplemented(`?${name}`);
  }
  // Two served sub-resources at once (`?acl&tagging`) would be routed to whichever router looks first.
  if (names.length > 1) throw s3.invalidRequest(`A request may name one sub-resource; this one names ${names.join(', ')}.`);
  return names[0]!;
}
