/**
 * Error codes of the native EVS API (`{"error": {"code": "EVS.xxxx", "message"}}`). The TenantDO refuses with kinds
 * (`VolumeNotFound`, `VolumeLimitExceeded`); native clients read Flexible Engine's codes, so every native EVS route
 * renders its refusals through here.
 */
import { codedRouter, family } from '../../lib/app.ts';

const BY_KIND: Record<string, string> = {
  VolumeNotFound: 'EVS.5400',
  VolumeLimitExceeded: 'EVS.2024',
  VolumeSizeExceedsAvailableQuota: 'EVS.2024',
  InvalidVolume: 'EVS.2002',
  SnapshotNotFound: 'EVS.5400',
  NoValidBackend: 'EVS.5401',
};

/** Statuses the native API gives where Cinder's differ: an exceeded quota is a 400 there. */
const STATUS_BY_KIND: Record<string, number> = { VolumeLimitExceeded: 400, VolumeSizeExceedsAvailableQuota: 400 };
const BY_STATUS: Record<number, string> = { 400: 'EVS.2001', 403: 'EVS.0002', 404: 'EVS.5400', 409: 'EVS.2002' };

/** The `EVS.xxxx` code of a refusal. */
export function evsCode(status: number, kind?: string): string | undefined {
  if (kind && /^[A-Z][a-z]+\.\d{4}$/.test(kind)) return kind;
  return (kind && BY_KIND[kind]) ?? BY_STATUS[status];
}

/** A router for the native EVS API: its refusals carry `EVS.xxxx` codes in the `{error: {code, message}}` envelope. */
export function evsRouter() {
  const r = codedRouter(evsCode, STATUS_BY_KIND);
  r.use(family('coded'));
  return r;
}
