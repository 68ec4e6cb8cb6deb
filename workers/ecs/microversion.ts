/**
 * Nova microversions: the client asks with `OpenStack-API-Version: compute X.Y` (or the older
 * `X-OpenStack-Nova-API-Version`); we answer within [MIN, MAX] and say which one we used.
 *
 * What each version up to MAX changes here (nova's rest_api_version_history):
 * 2.2 key pair `type`, create 201 and delete 204; 2.3 more admin-only `OS-EXT-SRV-ATTR:*` attributes;
 * 2.5 the `ip6` list filter; 2.9 `locked`; 2.10 key pairs of a given `user_id`; 2.13 server groups show their
 * project and user; 2.15 soft-(anti-)affinity groups; 2.16 admin-only `host_status`; 2.17 `trigger_crash_dump`;
 * 2.18 routes without the project id; 2.19 `description`; 2.21 actions of deleted servers; 2.26 server tags.
 * The others (2.4, 2.6-2.8, 2.11, 2.12, 2.14, 2.20, 2.22-2.25) change APIs this cloud does not offer.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../lib/app.ts';
import { ApiError, notFound } from '../lib/errors.ts';

export const MIN_VERSION = '2.1';
/** The newest microversion whose shapes we implement. */
export const MAX_VERSION = '2.26';

/** A 2.x microversion, as the code names the version a change came with. */
export type Microversion = `2.${number}`;

const parse = (v: string) => {
  const m = /^(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
};
const cmp = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]!;

interface Headers {
  get(name: string): string | null | undefined;
}

/** The microversion a request asked for, checked against the supported range. */
export function requestedVersion(headers: Headers): string {
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

/** The minor number of the microversion a request works in (2.X). */
export function minorOf(c: { req: { header(name: string): string | undefined } }): number {
  return parse(requestedVersion({ get: (n) => c.req.header(n) }))![1]!;
}

/** Whether a request works in `version` or later. */
export function atLeast(c: { req: { header(name: string): string | undefined } }, version: Microversion): boolean {
  return minorOf(c) >= Number(version.slice(2));
}

/** Negotiates the microversion and stamps it on the response. */
export function microversion(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const version = requestedVersion({ get: (n) => c.req.header(n) });
    await next();
    c.res.headers.set('OpenStack-API-Version', `compute ${version}`);
    c.res.headers.set('X-OpenStack-Nova-API-Version', version);
    if (!c.res.headers.get('Vary')?.includes('OpenStack-API-Version'))
      c.res.headers.append('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
  };
}

/** A route that came with `version`: older requests get Nova's 404, as if it did not exist. */
export function since(version: Microversion): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!atLeast(c, version)) throw notFound('The resource could not be found.');
    await next();
  };
}
