/**
 * Listing a bucket's current objects, or every version, in key order (UTF-8 byte order, as SQLite compares text),
 * with a prefix, a delimiter rolling keys up into common prefixes, a start point and a page size. One page is read
 * in one transaction, so it is a consistent snapshot even while keys are written.
 */
import { and, asc, desc, eq, gt, gte, lt, ne, or } from 'drizzle-orm';
import { objects } from '../../schema/bucket.ts';
import type { BucketCtx } from './context.ts';
import { fail } from './refusals.ts';
import type { VersionRow } from './versions.ts';

export interface ListQuery {
  prefix: string;
  delimiter: string;
  /** List keys strictly after this one ('' from the start). */
  after: string;
  maxKeys: number;
}

/** What a listing shows of an object. */
export type ListedObject = Pick<VersionRow, 'key' | 'lastModified' | 'etag' | 'size' | 'storageClass'>;
const LISTED = {
  key: objects.key,
  lastModified: objects.lastModified,
  etag: objects.etag,
  size: objects.size,
  storageClass: objects.storageClass,
};

export interface ListPage {
  contents: ListedObject[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix of the page: where the next page starts after. */
  last: string | null;
}

/** The highest code point: every key starting with `p` sorts before `p + TOP` (but for keys using it). */
const TOP = '\u{10FFFF}';

/** One page of the bucket's current objects. */
export function listCurrent(ctx: BucketCtx, q: ListQuery): ListPage {
  const page: ListPage = { contents: [], commonPrefixes: [], truncated: false, last: null };
  if (q.maxKeys <= 0) return page;
  let from = q.after;
  let inclusive = false;
  if (q.prefix > from) {
    from = q.prefix;
    inclusive = true;
  } else if (
    q.delimiter &&
    from.length > q.prefix.length &&
    from.startsWith(q.prefix) &&
    from.indexOf(q.delimiter, q.prefix.length) === from.length - q.delimiter.length
  ) {
    // Resuming after a common prefix (the previous page's NextMarker): skip every key it rolled up.
    from += TOP;
  }
  let count = 0;
  // After a jump past a common prefix the next key often starts another one: read a few rows, then more.
  let batch = 1001;
  for (;;) {
    const limit = Math.min(q.maxKeys - count + 1, batch);
    const rows = ctx.db
      .select(LISTED)
      .from(objects)
      .where(and(eq(objects.latest, true), eq(objects.deleteMarker, false), inclusive ? gte(objects.key, from) : gt(objects.key, from)))
      .orderBy(asc(objects.key))
      .limit(limit)
      .all();
    if (!rows.length) return page;
    let jump: string | null = null;
    for (const row of rows) {
      if (!row.key.startsWith(q.prefix)) return page;
      const lastPrefix = page.commonPrefixes.at(-1);
      if (lastPrefix !== undefined && page.last === lastPrefix && row.key.startsWith(lastPrefix)) continue;
      if (count === q.maxKeys) {
        page.truncated = true;
        return page;
      }
      const cut = q.delimiter ? row.key.indexOf(q.delimiter, q.prefix.length) : -1;
      count++;
      if (cut >= 0) {
        const common = row.key.slice(0, cut + q.delimiter.length);
        page.commonPrefixes.push(common);
        page.last = common;
        // Skip every other key under this common prefix with one jump.
        jump = common + TOP;
        break;
      }
      page.contents.push(row);
      page.last = row.key;
    }
    if (jump === null) {
      if (rows.length < limit) return page;
      jump = rows.at(-1)!.key;
      batch = Math.min(batch * 4, 1001);
    } else {
      batch = 8;
    }
    from = jump;
    inclusive = false;
  }
}

export interface VersionQuery {
  prefix: string;
  delimiter: string;
  /** Start after this key ('' from the start); with `versionIdMarker`, after that version of it. */
  keyMarker: string;
  versionIdMarker: string;
  maxKeys: number;
}

export interface VersionPage {
  /** Versions and delete markers, interleaved: key ascending, then newest first. */
  versions: VersionRow[];
  commonPrefixes: string[];
  truncated: boolean;
  /** Where the next page starts: the last key (or common prefix) and, after a version, its id. */
  nextKeyMarker: string | null;
  nextVersionIdMarker: string | null;
}

/** A position in (key ascending, seq descending) order: after a whole key, or after one version of a key. */
type Cursor = { key: string; inclusive: boolean } | { key: string; seq: number };

const after = (c: Cursor) =>
  'seq' in c
    ? or(gt(objects.key, c.key), and(eq(objects.key, c.key), lt(objects.seq, c.seq)))
    : c.inclusive
      ? gte(objects.key, c.key)
      : gt(objects.key, c.key);

/** Version ids this store hands out: 9 base-36 digits of milliseconds, then randomness. */
const VERSION_ID = /^[0-9a-z]{32}$/;

/**
 * Where a listing resumes after `key-marker` and `version-id-marker`. A marker version deleted since the last page
 * still places the listing: ids are time-ordered, so the versions older than it are those with smaller ids.
 */
function startOf(ctx: BucketCtx, q: VersionQuery): Cursor {
  if (q.prefix > q.keyMarker) return { key: q.prefix, inclusive: true };
  if (!q.versionIdMarker) return { key: q.keyMarker, inclusive: false };
  const marker = ctx.db
    .select({ seq: objects.seq })
    .from(objects)
    .where(and(eq(objects.key, q.keyMarker), eq(objects.versionId, q.versionIdMarker)))
    .get();
  if (marker) return { key: q.keyMarker, seq: marker.seq };
  if (q.versionIdMarker === 'null') return { key: q.keyMarker, inclusive: false };
  if (!VERSION_ID.test(q.versionIdMarker)) throw fail.invalidArgument('Invalid version id specified');
  const older = ctx.db
    .select({ seq: objects.seq })
    .from(objects)
    .where(and(eq(objects.key, q.keyMarker), ne(objects.versionId, 'null'), lt(objects.versionId, q.versionIdMarker)))
    .orderBy(desc(objects.seq))
    .limit(1)
    .get();
  return older ? { key: q.keyMarker, seq: older.seq + 1 } : { key: q.keyMarker, inclusive: false };
}

/** One page of every version and delete marker (ListObjectVersions), read in one transaction. */
export function listVersions(ctx: BucketCtx, q: VersionQuery): VersionPage {
  const page: VersionPage = { versions: [], commonPrefixes: [], truncated: false, nextKeyMarker: null, nextVersionIdMarker: null };
  if (q.maxKeys <= 0) return page;
  let cursor = startOf(ctx, q);
  let count = 0;
  const full = () => {
    page.truncated = count === q.maxKeys;
    return page.truncated;
  };
  for (;;) {
    const limit = Math.min(q.maxKeys - count + 1, 1001);
    const rows = ctx.db.select().from(objects).where(after(cursor)).orderBy(asc(objects.key), desc(objects.seq)).limit(limit).all();
    let jumped = false;
    for (const row of rows) {
      if (!row.key.startsWith(q.prefix)) return page;
      const cut = q.delimiter ? row.key.indexOf(q.delimiter, q.prefix.length) : -1;
      if (cut >= 0) {
        const common = row.key.slice(0, cut + q.delimiter.length);
        // A common prefix the previous page ended on (the key marker) is not listed again.
        if (common > q.keyMarker) {
          if (full()) return page;
          page.commonPrefixes.push(common);
          page.nextKeyMarker = common;
          page.nextVersionIdMarker = null;
          count++;
        }
        cursor = { key: common + TOP, inclusive: false };
        jumped = true;
        break;
      }
      if (full()) return page;
      page.versions.push(row);
      page.nextKeyMarker = row.key;
      page.nextVersionIdMarker = row.versionId;
      count++;
    }
    if (!jumped) {
      if (rows.length < limit) return page;
      const last = rows.at(-1)!;
      cursor = { key: last.key, seq: last.seq };
    }
  }
}
