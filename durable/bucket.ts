/**
 * BucketDO: one per OBS bucket name, the only writer of that bucket's configuration and object index. Bytes
 * stream into R2 under blob keys the bucket reserved; a commit makes them visible in one transaction, so an
 * object is listed exactly when a GET returns it, and a failed, aborted or replaced upload leaves only
 * garbage that the alarm deletes from R2.
 */
import { and, asc, eq, lte } from 'drizzle-orm';
import type { Env } from '../core/env.ts';
import { ACTIONS, type ActionName, type BucketSetting, SETTING_ACTIONS } from '../core/obs/actions.ts';
import { DomainError, type Result } from '../core/result.ts';
import { blobs, bucket, objects, uploads } from '../schema/bucket.ts';
import migrations from '../schema/migrations/bucket/migrations.js';
import { SqliteObject } from './lib/sqlite-object.ts';
import type { BucketInput, BucketRow, Requester } from './obs/access.ts';
import { checkSetting, judgeWrite, type WriteGuards, type WriteOwnership } from './obs/bucket-rules.ts';
import type { UploadChecksum } from './obs/checksums.ts';
import { checkWrite, type WriteConditions } from './obs/conditions.ts';
import {
  authorize,
  type BucketCtx,
  bucketChanged,
  discard,
  meter,
  requireBucket,
  reserve,
  writeMeters,
  writeTotals,
} from './obs/context.ts';
import { applyLifecycle, bucketNameOf, lifecycleDayMs, nextLifecyclePass } from './obs/lifecycle.ts';
import { type ListPage, type ListQuery, listCurrent, listVersions, type VersionPage, type VersionQuery } from './obs/listing.ts';
import * as multipart from './obs/multipart.ts';
import {
  changeObjectSettings,
  type ObjectRef,
  type ObjectSettingChange,
  type ObjectSettings,
  type ObjectSettingUse,
  readObjectSettings,
} from './obs/object-settings.ts';
import * as objectOps from './obs/objects.ts';
import { fail } from './obs/refusals.ts';
import { type BucketUsage, usageOf } from './obs/usage.ts';
import type { DeleteOutcome, NewVersion, VersionRow } from './obs/versions.ts';

/** How long a replaced or deleted blob stays readable (a download may still be streaming it). */
const GARBAGE_GRACE_MS = 15 * 60_000;
/** How long an upload may stream before its reserved blob is presumed abandoned. */
const PENDING_TTL_MS = 24 * 3_600_000;

export class BucketDO extends SqliteObject {
  /** The bucket row, read once and kept until a write changes it (most requests only read it). */
  private bucketCache: BucketCtx['cache'] = {};

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  private get graceMs() {
    return Number(this.env.OBS_GARBAGE_GRACE_MS ?? GARBAGE_GRACE_MS);
  }

  private get pendingTtlMs() {
    return Number(this.env.OBS_PENDING_TTL_MS ?? PENDING_TTL_MS);
  }

  /**
   * Runs one operation in a transaction; a DomainError becomes an `{error}` value and nothing is written, but
   * the usage it counted (a refused or missing-key request is still a request) is recorded either way.
   */
  private operate<T>(name: string, op: (ctx: BucketCtx) => T): Result<T> {
    const nowMs = Date.now();
    const ctx: BucketCtx = {
      db: this.db,
      name,
      now: new Date(nowMs).toISOString(),
      nowMs,
      sweep: { reserved: false, discarded: false },
      meters: new Map(),
      totals: { bytes: new Map(), versions: 0 },
      cache: this.bucketCache,
    };
    const hour = ctx.now.slice(0, 13);
    const r = this.transact(
      () => {
        const result = op(ctx);
        writeTotals(ctx);
        writeMeters(this.db, hour, ctx.meters);
        return result;
      },
      () => {
        // The transaction rolled back: the copy of the bucket row may hold what was undone.
        bucketChanged(ctx);
        if (ctx.meters.size) this.ctx.storage.transactionSync(() => writeMeters(this.db, hour, ctx.meters));
      },
    );
    if ('ok' in r) {
      const due = Math.min(
        ctx.sweep.reserved ? nowMs + this.pendingTtlMs : Number.POSITIVE_INFINITY,
        ctx.sweep.discarded ? nowMs + this.graceMs : Number.POSITIVE_INFINITY,
      );
      if (due !== Number.POSITIVE_INFINITY) this.ctx.waitUntil(this.alarmBy(due));
    }
    return r;
  }

  /** Creates the bucket for an account; the name may already be taken (by it or by another account). */
  create(name: string, input: BucketInput): Result<{ createdAt: string }> {
    return this.operate(name, (ctx) => {
      const existing = ctx.db.select().from(bucket).where(eq(bucket.name, name)).get();
      if (existing) {
        if (existing.ownerDomainId === input.ownerDomainId) {
          throw new DomainError(
            409,
            'BucketAlreadyOwnedByYou',
            'Your previous request to create the named bucket succeeded and you already own it.',
            {
              BucketName: name,
            },
          );
        }
        throw new DomainError(
          409,
          'BucketAlreadyExists',
          'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
          {
            BucketName: name,
          },
        );
      }
      const { objectLock, ...fields } = input;
      ctx.db
        .insert(bucket)
        .values({
          name,
          incarnation: crypto.randomUUID(),
          createdAt: ctx.now,
          storedSince: ctx.nowMs,
          ...fields,
          acl: JSON.stringify(input.acl),
          ...(objectLock ? { objectLock: {}, versioning: 'Enabled' } : {}),
        })
        .run();
      bucketChanged(ctx);
      return { createdAt: ctx.now };
    });
  }

  /** Deletes the bucket when it holds no object version and no multipart upload. */
  destroy(name: string, who: Requester): Result<null> {
    return this.operate(name, (ctx) => {
      authorize(ctx, who, ACTIONS.deleteBucket);
      const anyObject = ctx.db.select({ seq: objects.seq }).from(objects).limit(1).get();
      const anyUpload = ctx.db.select({ id: uploads.uploadId }).from(uploads).limit(1).get();
      if (anyObject || anyUpload) {
        throw new DomainError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: name });
      }
      ctx.db.delete(bucket).where(eq(bucket.name, name)).run();
      bucketChanged(ctx);
      return null;
    });
  }

  /** The bucket's row, for a read of its configuration guarded by `action` (HEAD, location, versioning, ACL...). */
  describe(name: string, who: Requester, action: ActionName): Result<BucketRow> {
    return this.operate(name, (ctx) => {
      const b = authorize(ctx, who, ACTIONS[action]);
      meter(ctx, 'requests.get');
      return b;
    });
  }

  /** Changes one setting of the bucket (the value already validated and serialised by the caller; null removes it). */
  configure(name: string, who: Requester, setting: BucketSetting, value: string | null): Result<BucketRow> {
    return this.operate(name, (ctx) => {
      const b = authorize(ctx, who, ACTIONS[SETTING_ACTIONS[setting]]);
      if (setting === 'versioning' && value === null) throw fail.invalidArgument('Versioning cannot be removed, only suspended.');
      if (setting === 'acl' && value === null) throw fail.invalidArgument('An ACL cannot be removed.');
      if (setting === 'objectLock' && value === null) throw fail.invalidArgument('Object Lock cannot be turned off.');
      checkSetting(b, setting, value);
      // JSON columns take the value as parsed; the callers hand every setting over as text.
      const json = setting === 'objectLock' || setting === 'publicAccessBlock';
      ctx.db
        .update(bucket)
        .set({ [setting]: json && value !== null ? JSON.parse(value) : value })
        .where(eq(bucket.name, name))
        .run();
      bucketChanged(ctx);
      meter(ctx, 'requests.put');
      return requireBucket(ctx);
    });
  }

  /**
   * Authorises a write of `key` and reserves the blob its bytes will stream into. Conditions are judged now too,
   * so a write bound to fail sends no bytes; `seen` is the current object then, for the commit's second judgement.
   */
  beginWrite(
    name: string,
    who: Requester,
    key: string,
    conditions: WriteConditions = {},
    guards?: WriteGuards,
  ): Result<{ blob: string; bucket: BucketRow; seen: number | null; ownership: WriteOwnership | null }> {
    return this.operate(name, (ctx) => {
      const b = authorize(ctx, who, ACTIONS.putObject, { key });
      const ownership = guards ? judgeWrite(b, key, guards) : null;
      const target = objectOps.writeTarget(ctx, key);
      checkWrite(conditions, target);
      return { blob: reserve(ctx, b), bucket: b, seen: target.current?.seq ?? null, ownership };
    });
  }

  /** Gives up a reserved blob (the upload failed or was refused): it becomes garbage at once. */
  abandon(name: string, blob: string): Result<null> {
    return this.operate(name, (ctx) => {
      discard(ctx, [blob]);
      return null;
    });
  }

  /** Makes an uploaded blob the new version of its key. */
  commitObject(name: string, version: NewVersion, conditions: WriteConditions = {}): Result<VersionRow & { versioned: boolean }> {
    return this.operate(name, (ctx) => objectOps.commitObject(ctx, version, conditions));
  }

  /** Resolves a read of a key (or one version): the version, the byte range, and the conditional outcome. */
  readObject(name: string, who: Requester, key: string, options: objectOps.ReadOptions = {}): Result<objectOps.ReadOutcome> {
    return this.operate(name, (ctx) => objectOps.readObject(ctx, who, key, options));
  }

  /** Deletes a key or one of its versions. */
  deleteObject(name: string, who: Requester, key: string, versionId?: string, bypass: Requester | null = null): Result<DeleteOutcome> {
    return this.operate(name, (ctx) => objectOps.deleteObject(ctx, who, key, versionId, bypass));
  }

  /** Multi-object delete: each key on its own (one refusal does not stop the others), in one transaction. */
  deleteObjects(name: string, who: Requester, keys: objectOps.KeyRef[], bypass: Requester | null = null): Result<objectOps.KeyDeleted[]> {
    return this.operate(name, (ctx) => objectOps.deleteObjects(ctx, who, keys, bypass));
  }

  /** One page of the bucket's current objects, with the owner to show beside them. */
  list(name: string, who: Requester, query: ListQuery): Result<ListPage & { owner: { id: string; name: string } }> {
    return this.operate(name, (ctx) => {
      const b = authorize(ctx, who, ACTIONS.listBucket);
      meter(ctx, 'requests.list');
      return { ...listCurrent(ctx, query), owner: { id: b.ownerDomainId, name: b.ownerDomainName } };
    });
  }

  /** Opens a multipart upload of `key`, with the fields its object will have. */
  initiateUpload(
    name: string,
    who: Requester,
    key: string,
    fields: multipart.UploadFields,
    guards?: WriteGuards,
  ): Result<{ uploadId: string }> {
    return this.operate(name, (ctx) => multipart.initiateUpload(ctx, who, key, fields, guards));
  }

  /** Authorises a part upload into an open upload, reserves the blob its bytes will stream into, and says its checksum. */
  beginPart(name: string, who: Requester, key: string, uploadId: string): Result<{ blob: string; checksum: UploadChecksum | null }> {
    return this.operate(name, (ctx) => multipart.beginPart(ctx, who, key, uploadId));
  }

  /** Commits an uploaded part; `committed: false` (its blob discarded) when the upload ended meanwhile. */
  commitPart(name: string, part: multipart.NewPart): Result<{ committed: boolean; lastModified: string }> {
    return this.operate(name, (ctx) => multipart.commitPart(ctx, part));
  }

  /** Completes an upload with the listed parts into a new version of its key, under the request's conditions. */
  completeUpload(
    name: string,
    who: Requester,
    key: string,
    uploadId: string,
    request: multipart.CompleteRequest,
  ): Result<VersionRow & { versioned: boolean }> {
    return this.operate(name, (ctx) => multipart.completeUpload(ctx, who, key, uploadId, request));
  }

  /** Aborts an upload; its parts' bytes become garbage. */
  abortUpload(name: string, who: Requester, key: string, uploadId: string): Result<null> {
    return this.operate(name, (ctx) => multipart.abortUpload(ctx, who, key, uploadId));
  }

  /** One page of an upload's parts. */
  listParts(
    name: string,
    who: Requester,
    key: string,
    uploadId: string,
    q: { marker: number; maxParts: number },
  ): Result<multipart.PartsPage> {
    return this.operate(name, (ctx) => multipart.listParts(ctx, who, key, uploadId, q));
  }

  /** One page of the bucket's uploads in progress. */
  listUploads(name: string, who: Requester, q: multipart.UploadsQuery): Result<multipart.UploadsPage> {
    return this.operate(name, (ctx) => multipart.listUploads(ctx, who, q));
  }

  /** Resolves a read of one part of a key (`?partNumber=N`): the read of the version, narrowed to that part's bytes. */
  readPart(
    name: string,
    who: Requester,
    key: string,
    partNumber: number,
    options: objectOps.ReadOptions = {},
  ): Result<objectOps.ReadOutcome> {
    const read = this.readObject(name, who, key, { ...options, range: null, head: true });
    if ('error' in read || read.ok.status !== 'ok') return read;
    const ok = read.ok;
    return this.operate(name, (ctx) => multipart.partOf(ctx, ok, partNumber, options.head === true));
  }

  /**
   * The bucket's CORS rules (JSON, null when none), with no access check: a browser's preflight is anonymous by
   * the CORS protocol, and the answer to it is how a bucket's rules are meant to be read.
   */
  corsRules(name: string): Result<string | null> {
    return this.operate(name, (ctx) => requireBucket(ctx).cors);
  }

  /** An object version's ACL and tags, read under the access check of `use`. */
  objectSettings(name: string, who: Requester, ref: ObjectRef, use: ObjectSettingUse): Result<ObjectSettings> {
    return this.operate(name, (ctx) => readObjectSettings(ctx, who, ref, use));
  }

  /** Replaces an object version's ACL or tags in place (S3 makes no new version for them). */
  changeObjectSettings(name: string, who: Requester, ref: ObjectRef, change: ObjectSettingChange): Result<ObjectSettings> {
    return this.operate(name, (ctx) => changeObjectSettings(ctx, who, ref, change));
  }

  /** One page of the bucket's versions and delete markers (ListObjectVersions), with the owner to show beside them. */
  listObjectVersions(name: string, who: Requester, query: VersionQuery): Result<VersionPage & { owner: { id: string; name: string } }> {
    return this.operate(name, (ctx) => {
      const b = authorize(ctx, who, ACTIONS.listBucketVersions);
      meter(ctx, 'requests.list');
      return { ...listVersions(ctx, query), owner: { id: b.ownerDomainId, name: b.ownerDomainName } };
    });
  }

  /** Usage for billing: stored totals and the hourly meters from `fromHour` to `toHour` (inclusive); no access check. */
  usage(name: string, fromHour: string, toHour: string): Result<BucketUsage> {
    return this.operate(name, (ctx) => usageOf(ctx, fromHour, toHour));
  }

  /** After the lifecycle rules changed: makes sure the alarm comes for the next lifecycle pass. */
  async lifecycleChanged(): Promise<void> {
    await this.scheduleSweep();
  }

  /** The alarm's lifecycle step: applies the bucket's rules when a pass is due. */
  private lifecyclePass(): void {
    const name = bucketNameOf(this.db);
    if (name) this.operate(name, (ctx) => applyLifecycle(ctx, requireBucket(ctx), this.ctx.storage.kv, lifecycleDayMs(this.env)));
  }

  /** Sets the alarm for the next sweep: the oldest pending reservation's expiry, or the oldest garbage's grace end. */
  private async scheduleSweep(): Promise<void> {
    const pending = this.db.select().from(blobs).where(eq(blobs.state, 'pending')).orderBy(asc(blobs.since)).limit(1).get();
    const garbage = this.db.select().from(blobs).where(eq(blobs.state, 'garbage')).orderBy(asc(blobs.since)).limit(1).get();
    const lifecycle = nextLifecyclePass(this.db, this.ctx.storage.kv);
    const due = [pending && pending.since + this.pendingTtlMs, garbage && garbage.since + this.graceMs, lifecycle].filter(
      (x): x is number => typeof x === 'number',
    );
    if (due.length) await this.alarmBy(Math.min(...due));
  }

  /** Frees R2: expired reservations become garbage, garbage past its grace is deleted. */
  override async alarm(): Promise<void> {
    // The alarm that woke this is spent; the sweep below sets the next one from the tables.
    this.alarmSpent();
    const now = Date.now();
    this.db
      .update(blobs)
      .set({ state: 'garbage', since: now - this.graceMs })
      .where(and(eq(blobs.state, 'pending'), lte(blobs.since, now - this.pendingTtlMs)))
      .run();
    for (;;) {
      const batch = this.db
        .select({ key: blobs.key })
        .from(blobs)
        .where(and(eq(blobs.state, 'garbage'), lte(blobs.since, now - this.graceMs)))
        .limit(1000)
        .all()
        .map((r) => r.key);
      if (!batch.length) break;
      await this.env.OBS_DATA.delete(batch);
      for (const key of batch)
        this.db
          .delete(blobs)
          .where(and(eq(blobs.key, key), eq(blobs.state, 'garbage')))
          .run();
    }
    this.lifecyclePass();
    await this.scheduleSweep();
  }
}
