/**
 * Cinder microversions: the client asks with `OpenStack-API-Version: volume 3.N`; we answer within [3.0, MAX]
 * and say which one we used. cinderclient sends none (3.0); openstacksdk asks for min(its ceiling, our maximum).
 *
 * What each version up to MAX changes here (cinder's rest_api_version_history): 3.13 `group_id` in volumes; 3.41
 * `user_id` in snapshots; 3.42 extending an attached volume; 3.45 `with_count`; 3.47 `backup_id` (refused: a
 * backup is restored, VBS's way); 3.48 `shared_targets` and `service_uuid`. The others up to 3.60 change APIs this
 * cloud does not offer: the attachments API of 3.27 (volumes attach through Nova's os-volume_attachments), groups,
 * transfers, messages, workers, manage/unmanage.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppContext, AppEnv } from '../lib/app.ts';
import { ApiError } from '../lib/errors.ts';

export const MIN_VERSION = '3.0';
/** The newest microversion whose shapes we implement. */
export const MAX_VERSION = '3.60';

const minor = (v: string) => Number(v.split('.')[1]);

/** The microversion a request asked for, checked against the supported range. */
export function requestedVersion(header: string | undefined): string {
  const entry = header
    ?.split(',')
    .map((p) => p.trim().split(/\s+/))
    .find(([service]) => service === 'volume');
  const asked = entry?.[1];
  if (!asked) return MIN_VERSION;
  if (asked === 'latest') return MAX_VERSION;
  if (!/^3\.\d+$/.test(asked)) throw new ApiError(400, `Invalid API version request: ${asked}.`);
  if (minor(asked) > minor(MAX_VERSION))
    throw new ApiError(406, `Version ${asked} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${MAX_VERSION}.`);
  return asked;
}

/** Whether a request works in 3.`n` or later. */
export function atLeast(c: AppContext, n: number): boolean {
  return minor(requestedVersion(c.req.header('openstack-api-version'))) >= n;
}

/** Negotiates the microversion and stamps it on the response. */
export function microversion(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const version = requestedVersion(c.req.header('openstack-api-version'));
    await next();
    c.res.headers.set('OpenStack-API-Version', `volume ${version}`);
    c.res.headers.append('Vary', 'OpenStack-API-Version');
  };
}
