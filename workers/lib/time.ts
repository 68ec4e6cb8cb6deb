/** Time in the exact shapes the OpenStack clients parse. */

/** ISO 8601 UTC with six fractional digits and a literal `Z` (Keystone's `%Y-%m-%dT%H:%M:%S.%fZ`). */
export function keystoneTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000Z`;
}

/** ISO 8601 UTC to the second, as Nova, Neutron and the native APIs write it (`2026-11-26T07:09:14Z`). */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Seconds since the epoch. */
export function epochSeconds(ms = Date.now()): number {
  return Math.floor(ms / 1000);
}
