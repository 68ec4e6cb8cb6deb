/**
 * Bucket lifecycle rules (`?lifecycle`): read and written as S3's LifecycleConfiguration XML, validated here as S3
 * validates it, stored by the BucketDO as JSON; the BucketDO's alarm applies them.
 */
import type { ColderClass, LifecycleConfig, LifecycleFilter, LifecycleRule } from '../../durable/obs/lifecycle.ts';
import type { S3Context } from './context.ts';
import { s3 } from './errors.ts';
import { storageClassCalled } from './object-fields.ts';
import { contentMd5Of } from './object-requests.ts';
import { lifecycleRules, setLifecycle } from './usecases/settings.ts';
import { parseXml, readBodyText, type XmlObject, type XmlValue, xmlResponse } from './xml.ts';

/** Routes `?lifecycle` on a bucket. */
export async function routeLifecycle(s: S3Context): Promise<Response> {
  switch (s.request.method) {
    case 'GET':
      return getLifecycle(s);
    case 'PUT':
      return putLifecycle(s);
    case 'DELETE':
      await setLifecycle(s.user, s.target.bucket!, null);
      return new Response(null, { status: 204 });
    default:
      throw s3.methodNotAllowed(s.request.method, 'BUCKET');
  }
}

async function getLifecycle(s: S3Context): Promise<Response> {
  const rules = await lifecycleRules(s.user, s.target.bucket!);
  if (!rules) throw s3.noSuchLifecycle(s.target.bucket!);
  return xmlResponse('LifecycleConfiguration', { Rule: rules.map(ruleXml) });
}

async function putLifecycle(s: S3Context): Promise<Response> {
  const expectedMd5 = contentMd5Of(s);
  const text = await readBodyText(s.body);
  if (expectedMd5 && (await md5Base64(text)) !== expectedMd5) throw s3.badDigest();
  await setLifecycle(s.user, s.target.bucket!, parseLifecycle(text));
  return new Response(null, { status: 200 });
}

async function md5Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('MD5', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

const MAX_RULES = 1000;

/** Parses and validates a LifecycleConfiguration document. */
export function parseLifecycle(text: string): LifecycleConfig {
  const doc = element(parseXml(text, 'LifecycleConfiguration'));
  only(doc, ['Rule']);
  const raw = (doc.Rule as unknown[] | undefined) ?? [];
  if (!raw.length || raw.length > MAX_RULES) throw s3.malformedXml();
  const rules = raw.map(parseRule);
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw s3.invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', r.id);
    ids.add(r.id);
  }
  return { rules };
}

type Node = Record<string, unknown>;

const blank = (v: unknown) => typeof v === 'string' && v.trim() === '';

/** An element with children (an empty one counts as one with none); anything else is MalformedXML. */
function element(value: unknown): Node {
  if (blank(value)) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw s3.malformedXml();
  return value as Node;
}

/** Refuses children other than `names`: attributes such as xmlns and the blanks between elements aside. */
function only(node: Node, names: string[]): void {
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@') || (k === '#text' && blank(v))) continue;
    if (!names.includes(k)) throw s3.malformedXml();
  }
}

/** The text of a child that may appear once. */
function text(node: Node, name: string): string | undefined {
  const v = node[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Node)['#text'] === 'string') return (v as Node)['#text'] as string;
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => k.startsWith('@'))) return '';
  throw s3.malformedXml();
}

/** A count of days: an integer (MalformedXML otherwise) that must be positive (InvalidArgument otherwise). */
function days(node: Node, name: string, action: string, zeroAllowed = false): number | undefined {
  const raw = text(node, name)?.trim();
  if (raw === undefined) return undefined;
  if (!/^[-+]?\d{1,10}$/.test(raw)) throw s3.malformedXml();
  const n = Number(raw);
  if (zeroAllowed ? n < 0 : n <= 0) {
    throw s3.invalidArgument(`'${name}' for ${action} action must be a ${zeroAllowed ? 'nonnegative' : 'positive'} integer`, name, raw);
  }
  return n;
}

function size(node: Node, name: string): number | undefined {
  const raw = text(node, name)?.trim();
  if (raw === undefined) return undefined;
  if (!/^\d{1,16}$/.test(raw)) throw s3.malformedXml();
  return Number(raw);
}

function parseRule(raw: unknown): LifecycleRule {
  const r = element(raw);
  only(r, [
    'ID',
    'Status',
    'Filter',
    'Prefix',
    'Expiration',
    'NoncurrentVersionExpiration',
    'AbortIncompleteMultipartUpload',
    'Transition',
    'NoncurrentVersionTransition',
  ]);
  const id = text(r, 'ID') || crypto.randomUUID().replaceAll('-', '');
  if (id.length > 255) throw s3.invalidArgument('ID length should not exceed allowed limit of 255', 'ID', id);
  const status = text(r, 'Status')?.trim();
  if (status !== 'Enabled' && status !== 'Disabled') throw s3.malformedXml();
  const rule: LifecycleRule = { id, enabled: status === 'Enabled', filter: parseFilter(r) };
  if (r.Expiration !== undefined) rule.expiration = parseExpiration(element(r.Expiration));
  if (r.NoncurrentVersionExpiration !== undefined) rule.noncurrentExpiration = parseNoncurrent(element(r.NoncurrentVersionExpiration));
  if (r.AbortIncompleteMultipartUpload !== undefined) {
    const a = element(r.AbortIncompleteMultipartUpload);
    only(a, ['DaysAfterInitiation']);
    const daysAfterInitiation = days(a, 'DaysAfterInitiation', 'AbortIncompleteMultipartUpload');
    if (daysAfterInitiation === undefined) throw s3.malformedXml();
    rule.abortIncompleteMultipartUpload = { daysAfterInitiation };
  }
  if (r.Transition !== undefined) rule.transitions = parseTransitions(r.Transition as unknown[], rule.expiration);
  if (r.NoncurrentVersionTransition !== undefined) {
    rule.noncurrentTransitions = parseNoncurrentTransitions(r.NoncurrentVersionTransition as unknown[], rule.noncurrentExpiration);
  }
  if (
    !rule.expiration &&
    !rule.noncurrentExpiration &&
    !rule.abortIncompleteMultipartUpload &&
    !rule.transitions &&
    !rule.noncurrentTransitions
  ) {
    throw s3.invalidRequest('At least one action needs to be specified in a rule');
  }
  if (rule.filter.tags.length && rule.abortIncompleteMultipartUpload) {
    throw s3.invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
  }
  if (rule.filter.tags.length && rule.expiration?.expiredObjectDeleteMarker) {
    throw s3.invalidRequest('ExpiredObjectDeleteMarker cannot be specified with Tags.');
  }
  return rule;
}

/** The rule's scope: the legacy rule-level Prefix, or a Filter with one predicate (Prefix, Tag, a size) or And. */
function parseFilter(r: Node): LifecycleFilter {
  if ((r.Prefix === undefined) === (r.Filter === undefined)) throw s3.malformedXml();
  if (r.Filter === undefined) return { form: 'legacy', prefix: text(r, 'Prefix'), tags: [] };
  const f = element(r.Filter);
  const predicates = ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan', 'And'];
  only(f, predicates);
  if (predicates.filter((p) => f[p] !== undefined).length > 1) throw s3.malformedXml();
  const and = f.And !== undefined;
  const node = and ? element(f.And) : f;
  if (and) only(node, ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan']);
  const tags = ((node.Tag as unknown[] | undefined) ?? []).map((t) => {
    const tag = element(t);
    only(tag, ['Key', 'Value']);
    const key = text(tag, 'Key');
    if (!key) throw s3.malformedXml();
    return { key, value: text(tag, 'Value') ?? '' };
  });
  if (!and && tags.length > 1) throw s3.malformedXml();
  if (new Set(tags.map((t) => t.key)).size !== tags.length) throw s3.invalidRequest('Duplicate Tag Keys are not allowed.');
  const filter: LifecycleFilter = { form: and ? 'and' : 'filter', prefix: text(node, 'Prefix'), tags };
  filter.sizeGreaterThan = size(node, 'ObjectSizeGreaterThan');
  filter.sizeLessThan = size(node, 'ObjectSizeLessThan');
  const { sizeGreaterThan: gt, sizeLessThan: lt } = filter;
  if (gt !== undefined && lt !== undefined && gt >= lt) {
    throw s3.invalidArgument('ObjectSizeGreaterThan must be less than ObjectSizeLessThan', 'ObjectSizeGreaterThan', String(gt));
  }
  return filter;
}

function parseExpiration(e: Node): NonNullable<LifecycleRule['expiration']> {
  only(e, ['Days', 'Date', 'ExpiredObjectDeleteMarker']);
  const n = days(e, 'Days', 'Expiration');
  const rawDate = text(e, 'Date')?.trim();
  const marker = text(e, 'ExpiredObjectDeleteMarker')?.trim();
  // One of the three, exactly: a day count, a date, or the delete marker clean-up.
  if ([n, rawDate, marker].filter((v) => v !== undefined).length !== 1) throw s3.malformedXml();
  if (marker !== undefined) {
    if (marker !== 'true' && marker !== 'false') throw s3.malformedXml();
    return { expiredObjectDeleteMarker: marker === 'true' };
  }
  if (rawDate === undefined) return { days: n };
  return { date: midnight(rawDate) };
}

/** A `Date` of a rule: ISO 8601 at midnight GMT, normalised. */
function midnight(rawDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(rawDate) || Number.isNaN(Date.parse(rawDate))) {
    throw s3.malformedXml();
  }
  const date = new Date(Date.parse(rawDate)).toISOString();
  if (!date.endsWith('T00:00:00.000Z')) throw s3.invalidArgument("'Date' must be at midnight GMT", 'Date', rawDate);
  return date;
}

/** The class a transition moves to: WARM or COLD (or the S3 names of those tiers). */
function colderClass(node: Node, action: string): ColderClass {
  const raw = text(node, 'StorageClass')?.trim();
  if (raw === undefined) throw s3.malformedXml();
  const cls = storageClassCalled(raw);
  if (cls !== 'WARM' && cls !== 'COLD')
    throw s3.invalidArgument(`'StorageClass' for ${action} action must be WARM or COLD`, 'StorageClass', raw);
  return cls;
}

/** An object is kept in WARM for 30 days at least, so a move there comes 30 days after it was written at the earliest. */
const WARM_MIN_DAYS = 30;

/** Transitions of a rule: one per class, each on a day count or a date, COLD after WARM, expiration after both. */
function parseTransitions(raw: unknown[], expiration: LifecycleRule['expiration']): NonNullable<LifecycleRule['transitions']> {
  const out = raw.map((t) => {
    const node = element(t);
    only(node, ['Days', 'Date', 'StorageClass']);
    const storageClass = colderClass(node, 'Transition');
    const n = days(node, 'Days', 'Transition', true);
    const date = text(node, 'Date')?.trim();
    if ((n === undefined) === (date === undefined)) throw s3.malformedXml();
    if (date !== undefined) return { date: midnight(date), storageClass };
    if (storageClass === 'WARM' && n! < WARM_MIN_DAYS) {
      throw s3.invalidArgument(
        `'Days' in Transition action must be greater than or equal to ${WARM_MIN_DAYS} for storageClass 'WARM'`,
        'Days',
        String(n),
      );
    }
    return { days: n!, storageClass };
  });
  checkOrder(
    out.map((t) => ({ at: t.days ?? t.date!, storageClass: t.storageClass })),
    'Transition',
  );
  const dayCounts = out.flatMap((t) => (t.days === undefined ? [] : [t.days]));
  const dates = out.flatMap((t) => (t.date === undefined ? [] : [t.date])).sort();
  const expiresTooSoon =
    (expiration?.days !== undefined && dayCounts.length > 0 && expiration.days <= Math.max(...dayCounts)) ||
    (expiration?.date !== undefined && dates.length > 0 && expiration.date <= dates.at(-1)!);
  if (expiresTooSoon) {
    throw s3.invalidArgument(
      "'Days' or 'Date' in the Expiration action must be later than in the Transition action",
      'Expiration',
      String(expiration?.days ?? expiration?.date),
    );
  }
  return out;
}

function parseNoncurrentTransitions(
  raw: unknown[],
  expiration: LifecycleRule['noncurrentExpiration'],
): NonNullable<LifecycleRule['noncurrentTransitions']> {
  const out = raw.map((t) => {
    const node = element(t);
    only(node, ['NoncurrentDays', 'StorageClass']);
    const storageClass = colderClass(node, 'NoncurrentVersionTransition');
    const noncurrentDays = days(node, 'NoncurrentDays', 'NoncurrentVersionTransition', true);
    if (noncurrentDays === undefined) throw s3.malformedXml();
    if (storageClass === 'WARM' && noncurrentDays < WARM_MIN_DAYS) {
      throw s3.invalidArgument(
        `'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to ${WARM_MIN_DAYS} for storageClass 'WARM'`,
        'NoncurrentDays',
        String(noncurrentDays),
      );
    }
    return { noncurrentDays, storageClass };
  });
  checkOrder(
    out.map((t) => ({ at: t.noncurrentDays, storageClass: t.storageClass })),
    'NoncurrentVersionTransition',
  );
  const latest = Math.max(...out.map((t) => t.noncurrentDays));
  if (expiration && expiration.noncurrentDays <= latest) {
    throw s3.invalidArgument(
      "'NoncurrentDays' in the NoncurrentVersionExpiration action must be greater than in the NoncurrentVersionTransition action",
      'NoncurrentDays',
      String(expiration.noncurrentDays),
    );
  }
  return out;
}

/** One transition per class; when both, the same kind of time (days or dates) and COLD strictly after WARM. */
function checkOrder(moves: { at: number | string; storageClass: ColderClass }[], action: string): void {
  const warm = moves.filter((m) => m.storageClass === 'WARM');
  const cold = moves.filter((m) => m.storageClass === 'COLD');
  if (warm.length > 1 || cold.length > 1)
    throw s3.invalidArgument(`'StorageClass' must be different for '${action}' actions in the same rule`, 'StorageClass', '');
  if (warm[0] && cold[0] && (typeof warm[0].at !== typeof cold[0].at || cold[0].at <= warm[0].at)) {
    throw s3.invalidArgument(`The ${action} to COLD must come later than the ${action} to WARM`, 'StorageClass', 'COLD');
  }
}

function parseNoncurrent(e: Node): NonNullable<LifecycleRule['noncurrentExpiration']> {
  only(e, ['NoncurrentDays', 'NewerNoncurrentVersions']);
  const noncurrentDays = days(e, 'NoncurrentDays', 'NoncurrentVersionExpiration');
  if (noncurrentDays === undefined) throw s3.malformedXml();
  const newer = days(e, 'NewerNoncurrentVersions', 'NoncurrentVersionExpiration');
  if (newer !== undefined && newer > 100) {
    throw s3.invalidArgument(
      "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be at most 100",
      'NewerNoncurrentVersions',
      String(newer),
    );
  }
  return newer === undefined ? { noncurrentDays } : { noncurrentDays, newerNoncurrentVersions: newer };
}

/** A stored rule as S3 answers it. */
function ruleXml(r: LifecycleRule): XmlObject {
  const f = r.filter;
  const tag = (t: { key: string; value: string }) => ({ Key: t.key, Value: t.value });
  const predicates: XmlObject = {
    Prefix: f.prefix,
    Tag: f.form === 'and' ? f.tags.map(tag) : f.tags[0] && tag(f.tags[0]),
    ObjectSizeGreaterThan: f.sizeGreaterThan,
    ObjectSizeLessThan: f.sizeLessThan,
  };
  const empty = Object.values(predicates).every((v) => v === undefined || (Array.isArray(v) && !v.length));
  let filter: XmlValue;
  if (f.form === 'and') filter = { And: predicates };
  else if (f.form === 'filter') filter = empty ? null : predicates;
  const exp = r.expiration;
  const nc = r.noncurrentExpiration;
  return {
    ID: r.id,
    Prefix: f.form === 'legacy' ? (f.prefix ?? '') : undefined,
    Filter: filter,
    Status: r.enabled ? 'Enabled' : 'Disabled',
    Expiration: exp && { Date: exp.date, Days: exp.days, ExpiredObjectDeleteMarker: exp.expiredObjectDeleteMarker },
    NoncurrentVersionExpiration: nc && { NoncurrentDays: nc.noncurrentDays, NewerNoncurrentVersions: nc.newerNoncurrentVersions },
    AbortIncompleteMultipartUpload: r.abortIncompleteMultipartUpload && {
      DaysAfterInitiation: r.abortIncompleteMultipartUpload.daysAfterInitiation,
    },
    Transition: r.transitions?.map((t) => ({ Date: t.date, Days: t.days, StorageClass: t.storageClass })),
    NoncurrentVersionTransition: r.noncurrentTransitions?.map((t) => ({ NoncurrentDays: t.noncurrentDays, StorageClass: t.storageClass })),
  };
}
