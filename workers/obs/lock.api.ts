/**
 * Object Lock on the wire: a bucket's `?object-lock` configuration (its default retention), a version's
 * `?retention` and `?legal-hold`, the `x-amz-object-lock-*` headers of a write and of a read, and
 * `x-amz-bypass-governance-retention`. The rules themselves are the BucketDO's (durable/obs/locks.ts).
 */
import { ACTIONS } from '../../core/obs/actions.ts';
import type { Requester } from '../../durable/obs/access.ts';
import type { ObjectRef } from '../../durable/obs/object-settings.ts';
import type { ObjectLockConfig, ObjectLockFields, Retention } from '../../schema/bucket.ts';
import { configure, describe } from './bucket-settings.ts';
import { amz, type S3Context } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import { unwrap } from './usecases/caller.ts';
import { childText, onlyChild, parseXml, readBodyText, xmlResponse } from './xml.ts';

const MODES: readonly string[] = ['GOVERNANCE', 'COMPLIANCE'];
const notInFuture = () => s3.invalidArgument('The retain until date must be in the future!');

/** A retain-until date as S3 takes it (ISO 8601), or `bad`'s error. */
function untilOf(raw: string, bad: () => Error): string {
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d\d-\d\dT/.test(raw) || Number.isNaN(ms)) throw bad();
  if (ms <= Date.now()) throw notInFuture();
  return new Date(ms).toISOString();
}

/** The lock a write asks for with `x-amz-object-lock-mode`, `-retain-until-date` (both or neither) and `-legal-hold`. */
export function lockFieldsOf(s: S3Context): ObjectLockFields {
  const mode = amz(s, 'object-lock-mode');
  const until = amz(s, 'object-lock-retain-until-date');
  const hold = amz(s, 'object-lock-legal-hold');
  const fields: ObjectLockFields = {};
  if ((mode === null) !== (until === null))
    throw s3.invalidArgument('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
  if (mode !== null && until !== null) {
    if (!MODES.includes(mode)) throw s3.invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
    const bad = () =>
      s3.invalidArgument('The retain until date must be provided in ISO 8601 format', 'x-amz-object-lock-retain-until-date', until);
    fields.retention = { mode: mode as Retention['mode'], until: untilOf(until, bad) };
  }
  if (hold !== null) {
    if (hold !== 'ON' && hold !== 'OFF')
      throw s3.invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", 'x-amz-object-lock-legal-hold', hold);
    fields.legalHold = hold;
  }
  return fields;
}

/** The caller asking to set a GOVERNANCE retention aside (`x-amz-bypass-governance-retention: true`), else null. */
export function bypassOf(s: S3Context): Requester | null {
  return amz(s, 'bypass-governance-retention')?.toLowerCase() === 'true' ? s.who(ACTIONS.bypassGovernanceRetention) : null;
}

/** The lock headers a GET or HEAD answers with. */
export function setLockHeaders(headers: Headers, row: { retention: Retention | null; legalHold: 'ON' | 'OFF' | null }): void {
  if (row.retention) {
    headers.set('x-amz-object-lock-mode', row.retention.mode);
    headers.set('x-amz-object-lock-retain-until-date', row.retention.until);
  }
  if (row.legalHold) headers.set('x-amz-object-lock-legal-hold', row.legalHold);
}

/** `GET/PUT /{bucket}?object-lock`; null for any other request. */
export async function routeObjectLock(s: S3Context): Promise<Response | null> {
  if (!s.target.query.has('object-lock')) return null;
  if (s.request.method === 'PUT') return configure(s, 'objectLock', JSON.stringify(parseLockConfiguration(await readBodyText(s.body))));
  const b = await describe(s, 'getBucketObjectLockConfiguration');
  if (!b.objectLock)
    throw new S3Error(404, 'ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', {
      BucketName: b.name,
    });
  const rule = b.objectLock.rule;
  const retention = rule && { Mode: rule.mode, Days: rule.days, Years: rule.years };
  return xmlResponse('ObjectLockConfiguration', { ObjectLockEnabled: 'Enabled', Rule: retention && { DefaultRetention: retention } });
}

/** A positive whole number of days or years, or S3's InvalidArgument. */
function period(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n <= 0) throw s3.invalidArgument('Default retention period must be a positive integer value.');
  return n;
}

/** An ObjectLockConfiguration document: `ObjectLockEnabled: Enabled`, and a default retention of Days or Years (not both). */
function parseLockConfiguration(text: string): ObjectLockConfig {
  const doc = parseXml(text, 'ObjectLockConfiguration');
  if (childText(doc, 'ObjectLockEnabled') !== 'Enabled') throw s3.malformedXml();
  const rule = onlyChild(doc, 'Rule');
  if (rule === undefined) return {};
  const retention = (rule as Record<string, unknown> | null)?.DefaultRetention;
  const mode = childText(retention, 'Mode');
  const days = childText(retention, 'Days');
  const years = childText(retention, 'Years');
  if (!mode || !MODES.includes(mode) || (days === undefined) === (years === undefined)) throw s3.malformedXml();
  const base = { mode: mode as Retention['mode'] };
  return { rule: days !== undefined ? { ...base, days: period(days) } : { ...base, years: period(years!) } };
}

/** The version a `?retention` or `?legal-hold` request names. */
const refOf = (s: S3Context): ObjectRef => ({ key: s.target.key!, versionId: s.target.query.get('versionId') || undefined });

const noLockOfObject = () =>
  new S3Error(404, 'NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration');

/** `GET/PUT /{bucket}/{key}?retention` and `?legal-hold`; null for any other request. */
export async function routeObjectLockSettings(s: S3Context): Promise<Response | null> {
  const q = s.target.query;
  const retention = q.has('retention');
  if (!retention && !q.has('legal-hold')) return null;
  const ref = refOf(s);
  const name = s.target.bucket!;
  if (s.request.method === 'GET') {
    const use = retention ? 'getRetention' : 'getLegalHold';
    const v = unwrap(
      await s.bucket().objectSettings(name, s.who(ACTIONS[retention ? 'getObjectRetention' : 'getObjectLegalHold']), ref, use),
    );
    if (retention) {
      if (!v.retention) throw noLockOfObject();
      return xmlResponse('Retention', { Mode: v.retention.mode, RetainUntilDate: v.retention.until });
    }
    if (v.legalHold === null) throw noLockOfObject();
    return xmlResponse('LegalHold', { Status: v.legalHold });
  }
  const text = await readBodyText(s.body);
  const change = retention ? { retention: parseRetention(text), bypass: bypassOf(s) } : { legalHold: parseLegalHold(text) };
  const who = s.who(ACTIONS[retention ? 'putObjectRetention' : 'putObjectLegalHold']);
  const v = unwrap(await s.bucket().changeObjectSettings(name, who, ref, change));
  return new Response(null, { status: 200, headers: v.versioned ? { 'x-amz-version-id': v.versionId } : {} });
}

/** A Retention document: a mode and a future date, or neither (which removes the retention). */
function parseRetention(text: string): Retention | null {
  const doc = parseXml(text, 'Retention');
  const mode = childText(doc, 'Mode');
  const until = childText(doc, 'RetainUntilDate');
  if (mode === undefined && until === undefined) return null;
  if (!mode || !MODES.includes(mode) || !until) throw s3.malformedXml();
  return { mode: mode as Retention['mode'], until: untilOf(until, s3.malformedXml) };
}

/** A LegalHold document: Status ON or OFF. */
function parseLegalHold(text: string): 'ON' | 'OFF' {
  const status = childText(parseXml(text, 'LegalHold'), 'Status');
  if (status !== 'ON' && status !== 'OFF') throw s3.malformedXml();
  return status;
}
