/**
 * Sub-resources: every S3 (and OBS) sub-resource, on every method, against a bucket and an object, either
 * answers as the feature it names or is refused; none is ever read, written or deleted as the plain object.
 */
import { describe, expect, it } from 'vitest';
import { createBucket, type ObsUser, obsUser, put, s3, xmlText } from './fixtures.ts';

const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;

/** S3's sub-resources, OBS's own after them. */
const SUBRESOURCES = [
  'acl',
  'attributes',
  'accelerate',
  'analytics',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploads',
  'uploadId',
  'versioning',
  'versions',
  'website',
  'location',
  'delete',
  'storageClass',
  'storagePolicy',
  'renameObject',
  'session',
  'metadataTable',
  'quota',
  'storageinfo',
  'customdomain',
  'mirrorBackToSource',
  'directcoldaccess',
  'obsworkflowtriggerpolicy',
  'metadata',
  'append',
  'modify',
  'truncate',
  'rename',
];

/** What the store implements, by level: sub-resource to methods. Everything else must be refused. */
const IMPLEMENTED: Record<'bucket' | 'object', Record<string, string[]>> = {
  bucket: {
    acl: ['GET', 'PUT'],
    tagging: ['GET', 'PUT', 'DELETE'],
    uploads: ['GET'],
    versioning: ['GET', 'PUT'],
    versions: ['GET'],
    location: ['GET'],
    policy: ['GET', 'PUT', 'DELETE'],
    cors: ['GET', 'PUT', 'DELETE'],
    lifecycle: ['GET', 'PUT', 'DELETE'],
    storageClass: ['GET', 'PUT'],
    storagePolicy: ['GET', 'PUT'],
    delete: ['POST'],
    'object-lock': ['GET', 'PUT'],
    ownershipControls: ['GET', 'PUT', 'DELETE'],
    publicAccessBlock: ['GET', 'PUT', 'DELETE'],
    policyStatus: ['GET'],
    // Not offered, but read as "not configured" (Terraform reads every setting of a bucket).
    ...Object.fromEntries(
      ['accelerate', 'requestPayment', 'logging', 'notification', 'website', 'replication', 'encryption'].map((sub) => [sub, ['GET']]),
    ),
  },
  object: {
    acl: ['GET', 'PUT'],
    tagging: ['GET', 'PUT', 'DELETE'],
    uploads: ['POST'],
    uploadId: ['GET', 'PUT', 'POST', 'DELETE'],
    attributes: ['GET'],
    retention: ['GET', 'PUT'],
    'legal-hold': ['GET', 'PUT'],
  },
};

/** The document `PUT ?retention` carries: the body that used to replace the object. */
const RETENTION = '<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate></Retention>';

const queryOf = (sub: string) => (sub === 'uploadId' ? 'uploadId=none' : sub === 'select' ? 'select&select-type=2' : sub);

/** Everything the bucket holds that a request could have changed: bytes, versions, ACLs, settings. */
async function snapshot(u: ObsUser, b: string): Promise<string[]> {
  const paths = [
    `/${b}/k`,
    `/${b}/k?acl`,
    `/${b}/k?tagging`,
    `/${b}?versions`,
    `/${b}?acl`,
    `/${b}?versioning`,
    `/${b}?policy`,
    `/${b}?cors`,
    `/${b}?lifecycle`,
    `/${b}?tagging`,
    `/${b}?storageClass`,
  ];
  return Promise.all(
    paths.map(async (p) => {
      const res = await s3(u, p);
      const body = (await res.text()).replace(/<(RequestId|HostId)>[^<]*<\/\1>/g, '');
      return `${p} ${res.status} ${res.headers.get('etag') ?? ''} ${body}`;
    }),
  );
}

/** A versioned bucket, readable by anyone, with a WARM default and one public object. */
async function populated(): Promise<{ u: ObsUser; b: string }> {
  const u = await obsUser();
  const b = await createBucket(u, undefined, { 'x-amz-acl': 'public-read', 'x-default-storage-class': 'WARM' });
  const versioning = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
  expect((await s3(u, `/${b}?versioning`, { method: 'PUT', body: versioning })).status).toBe(200);
  expect((await put(u, b, 'k', 'precious bytes', { 'x-amz-acl': 'public-read' })).status).toBe(200);
  return { u, b };
}

describe('sub-resources', () => {
  it('never treats ?retention, ?legal-hold, ?attributes or ?torrent as the object itself', async () => {
    const { u, b } = await populated();
    // The bucket has no Object Lock: its versions' retention and legal hold are InvalidRequest, as S3 answers.
    const documents = { retention: RETENTION, 'legal-hold': '<LegalHold><Status>ON</Status></LegalHold>' };
    for (const [sub, body] of Object.entries(documents)) {
      const res = await s3(u, `/${b}/k?${sub}`, { method: 'PUT', body });
      expect(res.status, sub).toBe(400);
      expect(xmlText(await res.text(), 'Code'), sub).toBe('InvalidRequest');
    }
    for (const sub of ['retention', 'legal-hold', 'torrent']) {
      const res = await s3(u, `/${b}/k?${sub}`);
      expect(res.status, sub).toBe(sub === 'torrent' ? 501 : 400);
      const xml = await res.text();
      expect(xml, sub).not.toContain('precious bytes');
      expect(xmlText(xml, 'Code'), sub).toBe(sub === 'torrent' ? 'NotImplemented' : 'InvalidRequest');
    }
    // ?attributes is GetObjectAttributes: the object's attributes, never its bytes.
    const attributes = await s3(u, `/${b}/k?attributes`, { headers: { 'x-amz-object-attributes': 'ObjectSize' } });
    expect(attributes.status).toBe(200);
    const xml = await attributes.text();
    expect(xml).not.toContain('precious bytes');
    expect(xmlText(xml, 'ObjectSize')).toBe('14');
    expect((await s3(u, `/${b}/k?retention`, { method: 'DELETE' })).status).toBe(405);
    const object = await s3(u, `/${b}/k`);
    expect(await object.text()).toBe('precious bytes');
  });

  for (const level of ['bucket', 'object'] as const) {
    it(`on the ${level}, each one answers as its feature or is refused, and changes nothing it should not`, async () => {
      const { u, b } = await populated();
      const before = await snapshot(u, b);
      for (const sub of SUBRESOURCES) {
        for (const method of METHODS) {
          const what = `${method} ${level} ?${sub}`;
          const path = `${level === 'bucket' ? `/${b}` : `/${b}/k`}?${queryOf(sub)}`;
          const body = method === 'PUT' || method === 'POST' ? RETENTION : undefined;
          const res = await s3(u, path, { method, body });
          const text = await res.text();
          expect(text, what).not.toContain('precious bytes');
          if (IMPLEMENTED[level][sub]?.includes(method)) {
            // Its own answer: a document, or an S3 error of the feature (the body above is no valid setting).
            expect(res.status, what).toBeLessThan(500);
            continue;
          }
          expect([405, 501], what).toContain(res.status);
          if (method !== 'HEAD') expect(['MethodNotAllowed', 'NotImplemented'], what).toContain(xmlText(text, 'Code'));
        }
        // POST ?uploads on the object opens an upload: no change to the object, its bytes or the bucket's settings.
        expect(await snapshot(u, b), `after ?${sub}`).toEqual(before);
      }
    }, 120_000);
  }

  it('refuses two sub-resources at once rather than picking one', async () => {
    const { u, b } = await populated();
    const res = await s3(u, `/${b}/k?acl&tagging`);
    expect(res.status).toBe(400);
    expect(xmlText(await res.text(), 'Code')).toBe('InvalidRequest');
  });
});
