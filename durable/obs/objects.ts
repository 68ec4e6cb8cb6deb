/**
 * Objects in the index: a write made visible (commit), a read resolved (the version, its range, the conditional
 * outcome), deletes of keys and versions. Each runs inside one BucketDO transaction.
 */
import { ACTIONS } from '../../core/obs/actions.ts';
import { DomainError, failure, type Result } from '../../core/result.ts';
import { decide, type Requester, withObjectTags } from './access.ts';
import { type Conditions, checkConditions, checkWrite, resolveRange, type WriteConditions, type WriteTarget } from './conditions.ts';
import { adopt, authorize, type BucketCtx, meter, requireBucket } from './context.ts';
import { fail } from './refusals.ts';
import { type DeleteOutcome, deleteKey, latestOf, type NewVersion, type VersionRow, versionOf, writeVersion } from './versions.ts';

/** How a read is asked: which version, which bytes, under which conditions. */
export interface ReadOptions extends Conditions {
  versionId?: string;
  range?: string | null;
  /** HEAD counts as a request but moves no bytes. */
  head?: boolean;
  /** The read is a copy's source: failed conditions are 412 (not 304), as S3 does for x-amz-copy-source-if-*. */
  copy?: boolean;
  /** The read is GetObjectAttributes: its own action, and no bytes. */
  attributes?: boolean;
}

/** A read resolved: the version and the bytes to send, or 304 Not Modified. */
export type ReadOutcome =
  | { status: 'ok'; version: VersionRow; range: { start: number; end: number } | null; versioned: boolean }
  | { status: 'not-modified'; version: VersionRow; versioned: boolean };

/** A key, or one version of it, named by a multi-object delete. */
export interface KeyRef {
  key: string;
  versionId?: string;
}

/** What a multi-object delete did with one key: deleted it, or refused it. */
export type KeyDeleted = KeyRef & Result<DeleteOutcome>;

/** The key's current object (not a delete marker), which a write's conditions are judged against. */
export function writeTarget(ctx: BucketCtx, key: string): WriteTarget {
  const row = latestOf(ctx, key);
  return { key, current: row && !row.deleteMarker ? { seq: row.seq, etag: row.etag } : null };
}

/** Makes an uploaded blob the new version of its key, if the write's conditions still hold. */
export function commitObject(ctx: BucketCtx, version: NewVersion, conditions: WriteConditions): VersionRow & { versioned: boolean } {
  const b = requireBucket(ctx);
  for (const blob of version.blobs) {
    if (!adopt(ctx, blob.key)) throw new DomainError(400, 'RequestTimeout', 'Your upload took too long and its data was discarded.');
  }
  checkWrite(conditions, writeTarget(ctx, version.key));
  const row = writeVersion(ctx, b, version);
  meter(ctx, 'requests.put');
  meter(ctx, 'bytes.in', version.size);
  return { ...row, versioned: b.versioning !== '' };
}

/** The action a read needs: of the current object or of a version, of its bytes or of its attributes. */
function readAction(o: ReadOptions) {
  if (o.attributes) return o.versionId === undefined ? ACTIONS.getObjectAttributes : ACTIONS.getObjectVersionAttributes;
  return o.versionId === undefined ? ACTIONS.getObject : ACTIONS.getObjectVersion;
}

/** Resolves a read of a key (or one version): the version, the byte range, and the conditional outcome. */
export function readObject(ctx: BucketCtx, who: Requester, key: string, options: ReadOptions): ReadOutcome {
  const b = requireBucket(ctx);
  const versioned = b.versioning !== '';
  const row = options.versionId === undefined ? latestOf(ctx, key) : versionOf(ctx, key, options.versionId);
  const action = readAction(options);
  const live = row && !row.deleteMarker ? row : null;
  authorize(ctx, withObjectTags(who, live?.tags), action, { key, objectAcl: live ? live.acl : null, objectOwner: live?.owner?.id });
  meter(ctx, 'requests.get');
  if (!row) {
    if (options.versionId !== undefined) throw fail.noSuchVersion(key, options.versionId);
    // S3 says a key is missing only to who could list the bucket and learn it anyway; others get AccessDenied.
    if (!decide({ bucket: b, who, action: ACTIONS.listBucket })) throw fail.accessDenied();
    throw fail.noSuchKey(key);
  }
  if (row.deleteMarker) {
    const headers = {
      'x-amz-delete-marker': 'true',
      'x-amz-version-id': row.versionId,
      'Last-Modified': new Date(row.lastModified).toUTCString(),
    };
    if (options.versionId !== undefined) {
      throw new DomainError(
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
        { Method: 'GET', ResourceType: 'DeleteMarker' },
        {
          ...headers,
          Allow: 'DELETE',
        },
      );
    }
    throw fail.noSuchKey(key, headers);
  }
  if (checkConditions(options, row.etag, row.lastModified, options.copy ? 'copy' : 'read') === 'not-modified')
    return { status: 'not-modified', version: row, versioned };
  const range = resolveRange(options.range, row.size);
  if (!options.head) meter(ctx, 'bytes.out', range ? range.end - range.start + 1 : row.size);
  return { status: 'ok', version: row, range, versioned };
}

/** Deletes a key or one of its versions (`bypass`: the caller asking to set a GOVERNANCE retention aside). */
export function deleteObject(
  ctx: BucketCtx,
  who: Requester,
  key: string,
  versionId?: string,
  bypass: Requester | null = null,
): DeleteOutcome {
  const b = authorize(ctx, who, versionId === undefined ? ACTIONS.deleteObject : ACTIONS.deleteObjectVersion, { key });
  meter(ctx, 'requests.delete');
  return deleteKey(ctx, b, key, versionId, bypass);
}

/** Multi-object delete: each key on its own (one refusal does not stop the others). */
export function deleteObjects(ctx: BucketCtx, who: Requester, keys: KeyRef[], bypass: Requester | null = null): KeyDeleted[] {
  const b = requireBucket(ctx);
  meter(ctx, 'requests.delete');
  return keys.map(({ key, versionId }) => {
    try {
      authorize(ctx, who, versionId === undefined ? ACTIONS.deleteObject : ACTIONS.deleteObjectVersion, { key });
      return { key, versionId, ok: deleteKey(ctx, b, key, versionId, bypass) };
    } catch (err) {
      if (err instanceof DomainError) return { key, versionId, ...failure(err) };
      throw err;
    }
  });
}
