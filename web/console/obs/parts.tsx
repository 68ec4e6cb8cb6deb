/**
 * What the OBS pages share: the caller the OBS use cases take (made from the session's token), the bucket's
 * tabs and breadcrumbs, sizes in words, and where an S3 refusal's words belong on a form.
 */

import type { AppContext } from '../../../workers/lib/app.ts';
import { ApiError } from '../../../workers/lib/errors.ts';
import { S3Error } from '../../../workers/obs/errors.ts';
import { type ObsUser, tokenUser } from '../../../workers/obs/usecases/caller.ts';
import { Tabs } from '../kit.tsx';

/** The signed-in person as OBS's use cases take them (the roles of their domain decide, as with their AK/SK). */
export function consoleUser(c: AppContext): Promise<ObsUser> {
  return tokenUser(c.env, c.var.principal, c.req.raw, (work) => c.executionCtx.waitUntil(work));
}

/** The Console path of a bucket (its object browser), at a folder when given. */
export function bucketPath(bucket: string, prefix = ''): string {
  return `/console/obs/buckets/${encodeURIComponent(bucket)}${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ''}`;
}

/** A byte count as people read it: 1.5 KiB, 20.0 MiB. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  for (; v >= 1024 && i < units.length - 1; i++) v /= 1024;
  return `${v.toFixed(1)} ${units[i]}`;
}

/**
 * Gives an S3 refusal the form field it is about, by its code (`InvalidBucketName` is about `name`) or its code
 * and the argument it names (`InvalidArgument:Days`), so the form shows it next to that field; other errors go
 * on unchanged.
 */
export function about(fields: Record<string, string>) {
  return (err: unknown): never => {
    if (err instanceof ApiError && err.code) {
      const argument = err instanceof S3Error ? err.extra.ArgumentName : undefined;
      const field = fields[`${err.code}:${argument}`] ?? fields[err.code];
      if (field) throw Object.assign(err, { field });
    }
    throw err;
  };
}

/** The tabs of a bucket's pages, the current one marked for assistive technology. */
export function BucketNav({ bucket, current }: { bucket: string; current: 'objects' | 'settings' }) {
  const base = `/console/obs/buckets/${encodeURIComponent(bucket)}`;
  const tabs = [
    { key: 'all', href: '/console/obs/buckets', label: 'All buckets' },
    { key: 'objects', href: base, label: 'Objects' },
    { key: 'settings', href: `${base}/settings`, label: 'Settings' },
  ];
  return <Tabs label={`Bucket ${bucket}`} current={current} tabs={tabs} />;
}

/** Where a folder is: the bucket, then each folder of the prefix, the last one the current page. */
export function Breadcrumbs({ bucket, prefix }: { bucket: string; prefix: string }) {
  const parts = prefix.split('/').filter((p, i, all) => p !== '' || i < all.length - 1);
  const crumbs = parts.map((name, i) => ({ name, prefix: `${parts.slice(0, i + 1).join('/')}/` }));
  return (
    <nav aria-label="Folder">
      <p>
        <a href={bucketPath(bucket)} aria-current={prefix === '' ? 'page' : undefined}>
          {bucket}
        </a>
        {crumbs.map((c) => (
          <>
            {' / '}
            <a href={bucketPath(bucket, c.prefix)} aria-current={c.prefix === prefix ? 'page' : undefined}>
              {c.name}
            </a>
          </>
        ))}
      </p>
    </nav>
  );
}
