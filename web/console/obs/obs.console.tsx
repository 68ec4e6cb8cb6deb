/**
 * The Console's OBS section at `/console/obs`: the account's buckets (create, delete) and a bucket's settings
 * (versioning, access, lifecycle); the object browser, uploads and downloads are in objects.console.tsx. Every
 * route is guarded by the OBS action its S3 operation needs, then the bucket decides as it does for S3.
 */
import { z } from 'zod';
import { REGIONS } from '../../../core/regions.ts';
import { CANNED_ACLS, type CannedAcl, cannedAcl } from '../../../durable/obs/access.ts';
import { act } from '../../../workers/auth/middleware.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { bucketInfo, createBucket, deleteBucket, listBuckets } from '../../../workers/obs/usecases/buckets.ts';
import {
  addExpirationRule,
  bucketAcl,
  cannedNameOf,
  deleteLifecycleRule,
  lifecycleRules,
  setCannedAcl,
  setVersioning,
  versioningOf,
} from '../../../workers/obs/usecases/settings.ts';
import { consoleRouter, done, type Failure, f, form } from '../kit.tsx';
import { BucketsPage } from './buckets.page.tsx';
import { objectRoutes } from './objects.console.tsx';
import { about, bucketPath, consoleUser } from './parts.tsx';
import { SettingsPage } from './settings.page.tsx';

/** S3's rule for a bucket name, in words before the store says it in its own. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const createForm = z.object({
  name: f
    .text('a bucket name')
    .regex(
      BUCKET_NAME,
      'A bucket name has 3 to 63 lowercase letters, digits, dots and hyphens, and starts and ends with a letter or digit.',
    ),
  region: z.enum(REGIONS as [string, ...string[]], { error: 'Choose a region of the catalogue.' }),
  acl: z.enum(CANNED_ACLS, { error: 'Choose who may access the bucket.' }).default('private'),
});
const noFields = z.object({});

async function bucketsPage(c: AppContext, failures: { failure?: Failure; refusal?: Failure } = {}) {
  const list = await listBuckets(await consoleUser(c));
  return c.html(<BucketsPage c={c} list={list} failure={failures.failure} refusal={failures.refusal} />);
}

const bucketOf = (c: AppContext) => c.req.param('bucket') ?? '';
const settingsPath = (c: AppContext) => `${bucketPath(bucketOf(c))}/settings`;

type SettingFailures = NonNullable<Parameters<typeof SettingsPage>[0]['failures']>;

async function settingsPage(c: AppContext, failures: SettingFailures = {}) {
  const user = await consoleUser(c);
  const name = bucketOf(c);
  const [bucket, versioning, access, rules] = await Promise.all([
    bucketInfo(user, name, 'getBucketLocation'),
    versioningOf(user, name),
    bucketAcl(user, name),
    lifecycleRules(user, name),
  ]);
  const acl = cannedNameOf(access.acl);
  return c.html(<SettingsPage c={c} bucket={bucket} versioning={versioning} acl={acl} rules={rules ?? []} failures={failures} />);
}

export const obsConsole = consoleRouter();

obsConsole.get('/', act('obs:buckets:list'), (c) => c.redirect('/console/obs/buckets', 303));
obsConsole.get('/buckets', act('obs:buckets:list'), (c) => bucketsPage(c));
obsConsole.post(
  '/buckets',
  act('obs:buckets:create'),
  form(
    createForm,
    async (c, input) => {
      const user = await consoleUser(c);
      await createBucket(user, input.name, { region: input.region, acl: cannedAcl(input.acl), defaultStorageClass: 'STANDARD' }).catch(
        about({
          InvalidBucketName: 'name',
          BucketAlreadyExists: 'name',
          BucketAlreadyOwnedByYou: 'name',
          InvalidLocationConstraint: 'region',
        }),
      );
      return done(c, bucketPath(input.name), `Bucket ${input.name} is created in ${input.region}.`);
    },
    (c, failure) => bucketsPage(c, { failure }),
  ),
);
obsConsole.post(
  '/buckets/:bucket/delete',
  act('obs:buckets:delete'),
  form(
    noFields,
    async (c) => {
      await deleteBucket(await consoleUser(c), bucketOf(c));
      return done(c, '/console/obs/buckets', `Bucket ${bucketOf(c)} is deleted.`);
    },
    (c, refusal) => bucketsPage(c, { refusal }),
  ),
);

obsConsole.get('/buckets/:bucket/settings', act('obs:buckets:get'), (c) => settingsPage(c));
obsConsole.post(
  '/buckets/:bucket/settings/versioning',
  act('obs:buckets:update'),
  form(
    z.object({ status: z.enum(['Enabled', 'Suspended'], { error: 'Choose Enabled or Suspended.' }) }),
    async (c, { status }) => {
      await setVersioning(await consoleUser(c), bucketOf(c), status);
      return done(c, settingsPath(c), `Versioning of ${bucketOf(c)} is ${status === 'Enabled' ? 'on' : 'suspended'}.`);
    },
    (c, versioning) => settingsPage(c, { versioning }),
  ),
);
obsConsole.post(
  '/buckets/:bucket/settings/acl',
  act('obs:buckets:update'),
  form(
    z.object({ acl: z.enum(CANNED_ACLS, { error: 'Choose who may access the bucket.' }) }),
    async (c, { acl }) => {
      await setCannedAcl(await consoleUser(c), bucketOf(c), acl as CannedAcl);
      return done(c, settingsPath(c), `Access to ${bucketOf(c)} is now ${acl}.`);
    },
    (c, acl) => settingsPage(c, { acl }),
  ),
);
obsConsole.post(
  '/buckets/:bucket/settings/lifecycle',
  act('obs:buckets:update'),
  form(
    z.object({
      id: f.text('a rule name').pipe(z.string().max(255, 'A rule name has at most 255 characters.')),
      prefix: z.string().default(''),
      days: f.int('the number of days', 1, 2_147_483_647),
    }),
    async (c, rule) => {
      await addExpirationRule(await consoleUser(c), bucketOf(c), rule).catch(
        about({ 'InvalidArgument:ID': 'id', 'InvalidArgument:Days': 'days' }),
      );
      return done(c, settingsPath(c), `Rule ${rule.id} is added: objects expire ${rule.days} days after they are written.`);
    },
    (c, lifecycle) => settingsPage(c, { lifecycle }),
  ),
);
obsConsole.post(
  '/buckets/:bucket/settings/lifecycle/delete',
  act('obs:buckets:update'),
  form(
    z.object({ id: z.string().min(1, 'Name the rule to delete.') }),
    async (c, { id }) => {
      await deleteLifecycleRule(await consoleUser(c), bucketOf(c), id);
      return done(c, settingsPath(c), `Rule ${id} is deleted.`);
    },
    (c, refusal) => settingsPage(c, { refusal }),
  ),
);

obsConsole.route('/', objectRoutes);
