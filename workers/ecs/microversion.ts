/**
 * Nova microversions: the client asks with `OpenStack-API-Version: compute X.Y` (or the older
 * `X-OpenStack-Nova-API-Version`); we answer within [MIN, MAX] and say which one we used.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../lib/app.ts';
import { ApiError } from '../lib/errors.ts';

export const MIN_VERSION = '2.1';
/** The newest microversion whose shapes we implement. */
export const MAX_VERSION = '2.1';

const parse = (v: string) => {
  const m = /^(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
};
const cmp = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]!;

/** The microversion a request asked for, checked against the supported range. */
export function requestedVersion(headers: { get(name: string): string | null | undefined }): string {
  const modern = headers.get('openstack-api-version');
  const legacy = headers.get('x-openstack-nova-api-version');
  let asked = legacy ?? undefined;
  if (modern) {
    const entry = modern
      .split(',')
      .map((p) => p.trim().split(/\s+/))
      .find(([service]) => service === 'compute');
    if (entry?.[1]) asked = entry[1];
  }
  if (!asked) return MIN_VERSION;
  if (asked === 'latest') return MAX_VERSION;
  const v = parse(asked);
  if (!v) throw new ApiError(400, `Invalid API version request: ${asked}.`);
  if (cmp(v, parse(MIN_VERSION)!) < 0 || cmp(v, parse(MAX_VERSION)!) > 0) {
    throw new ApiError(406, `Version ${asked} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${MAX_VERSION}.`);
  }
  return asked;
}

/** Negotiates the microversion and stamps it on the response. */
export function microversion(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const version = requestedVersion({ get: (n) => c.req.header(n) });
    await next();
    c.res.headers.set('OpenStack-API-Version', `compute ${version}`);
    c.res.headers.set('X-OpenStack-Nova-API-Version', version);
    c.res.headers.append('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
  };
}
