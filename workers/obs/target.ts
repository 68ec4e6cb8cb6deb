/**
 * What an S3 request names: the bucket (from the path, or from a virtual-host Host header), the key, and the
 * sub-resource query. Read from the raw request line, never through `new URL()`, which would fold `..`
 * segments and so lose keys like `a/../b`.
 */

export interface Target {
  bucket: string | null;
  key: string | null;
  /** The request path exactly as sent (percent-encoded). */
  rawPath: string;
  /** The raw query string without '?'. */
  rawQuery: string;
  query: URLSearchParams;
  /** The bucket named by the Host header (virtual-host style), if any. */
  virtualBucket?: string;
  /** The region the endpoint's host names (`oss.{region}.{domain}`), if any. */
  hostRegion?: string;
}

/** The path and query of a request URL as sent, without parsing (which would normalize dot segments). */
export function rawParts(url: string): { rawPath: string; rawQuery: string } {
  const afterScheme = url.indexOf('://');
  const pathStart = url.indexOf('/', afterScheme < 0 ? 0 : afterScheme + 3);
  const rest = pathStart < 0 ? '/' : url.slice(pathStart);
  const q = rest.indexOf('?');
  const hash = (s: string) => (s.includes('#') ? s.slice(0, s.indexOf('#')) : s);
  return q < 0 ? { rawPath: hash(rest), rawQuery: '' } : { rawPath: rest.slice(0, q), rawQuery: hash(rest.slice(q + 1)) };
}

/** Whether a Host names the OBS endpoint or a bucket under it: `oss.{region}.{domain}` or `{bucket}.oss.{region}.{domain}`. */
export function obsHost(host: string): { virtualBucket?: string; region?: string } | null {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  const m = /^(?:(.+)\.)?(?:oss|obs)\.([a-z0-9-]+)(?:\.|$)/.exec(name);
  if (!m) return null;
  return { virtualBucket: m[1], region: m[2] };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The target of a request to the OBS endpoint. */
export function targetOf(request: Request): Target {
  const { rawPath, rawQuery } = rawParts(request.url);
  const host = obsHost(request.headers.get('host') ?? new URL(request.url).host);
  const query = new URLSearchParams(rawQuery);
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (host?.virtualBucket) {
    return {
      bucket: host.virtualBucket,
      key: path === '' ? null : decode(path),
      rawPath,
      rawQuery,
      query,
      virtualBucket: host.virtualBucket,
      hostRegion: host.region,
    };
  }
  if (path === '') return { bucket: null, key: null, rawPath, rawQuery, query, hostRegion: host?.region };
  const slash = path.indexOf('/');
  const bucket = decode(slash < 0 ? path : path.slice(0, slash));
  const key = slash < 0 || slash === path.length - 1 ? null : decode(path.slice(slash + 1));
  return { bucket, key, rawPath, rawQuery, query, hostRegion: host?.region };
}
