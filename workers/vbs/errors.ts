/**
 * Error codes of the native VBS API (`{"error": {"code": "VBS.xxxx", "message"}}`, the `coded` family EVS and IMS
 * share). The TenantDO refuses with kinds; native clients read VBS codes, so every native VBS route renders its
 * refusals through here. The codes follow VBS's error table where this cloud knows it (VBS.0001 a bad parameter);
 * the others are this cloud's own, stable.
 */
import { codedRouter, family } from '../lib/app.ts';

const BY_KIND: Record<string, string> = {
  VolumeNotFound: 'VBS.0005',
  BackupNotFound: 'VBS.0006',
  SnapshotNotFound: 'VBS.0007',
  InvalidVolume: 'VBS.0008',
  InvalidBackup: 'VBS.0009',
  InvalidSnapshot: 'VBS.0010',
  VolumeLimitExceeded: 'VBS.0011',
  VolumeSizeExceedsAvailableQuota: 'VBS.0011',
  NoValidBackend: 'VBS.0012',
};

/** Statuses the native API gives where Cinder's differ: an exceeded quota is a 400 there. */
const STATUS_BY_KIND: Record<string, number> = { VolumeLimitExceeded: 400, VolumeSizeExceedsAvailableQuota: 400 };
const BY_STATUS: Record<number, string> = { 400: 'VBS.0001', 403: 'VBS.0002', 404: 'VBS.0003', 409: 'VBS.0004' };

/** The `VBS.xxxx` code of a refusal (a kind that is a code already passes as it is: `Common.0011`). */
export function vbsCode(status: number, kind?: string): string | undefined {
  if (kind && /^[A-Z][A-Za-z]*\.\d{4}$/.test(kind)) return kind;
  return (kind && BY_KIND[kind]) ?? BY_STATUS[status];
}

/** A router for the native VBS API: its refusals carry `VBS.xxxx` codes in the `{error: {code, message}}` envelope. */
export function vbsRouter() {
  const r = codedRouter(vbsCode, STATUS_BY_KIND);
  r.use(family('coded'));
  return r;
}
