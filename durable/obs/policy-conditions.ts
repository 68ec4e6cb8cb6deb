/**
 * The Condition block of a bucket policy statement: operators (String*, Numeric*, Date*, Bool, IpAddress,
 * NotIpAddress, Null, each with `...IfExists`, and the `ForAnyValue:` / `ForAllValues:` set qualifiers) over the
 * request's condition keys (`aws:SourceIp`, `aws:SecureTransport`, `s3:prefix`, ...). Parsed once when the
 * policy is put (an operator we do not know is refused then), evaluated for every request it could apply to.
 */

/** The request's condition keys, lowercased, each with its values (most have one). */
export type ConditionContext = Record<string, string[]>;

export interface PolicyCondition {
  operator: Operator;
  /** `...IfExists`: a missing key passes. */
  ifExists: boolean;
  /** `ForAnyValue:` or `ForAllValues:` (multivalued keys); null compares the key's single value. */
  set: 'any' | 'all' | null;
  /** The condition key, lowercased (keys are case-insensitive). */
  key: string;
  values: string[];
}

const OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'IpAddress',
  'NotIpAddress',
  'Null',
] as const;
type Operator = (typeof OPERATORS)[number];

/** Operators that match when the value is NOT among the policy's: true also when the key is missing. */
const NEGATED = new Set<Operator>([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
]);

/** Parses a statement's `Condition` (absent: no conditions); `invalid` builds the error for a bad one. */
export function parseConditions(raw: unknown, invalid: (message: string) => Error): PolicyCondition[] {
  if (raw === undefined) return [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('Condition must be an object');
  const out: PolicyCondition[] = [];
  for (const [name, block] of Object.entries(raw as Record<string, unknown>)) {
    const m = /^(?:(ForAnyValue|ForAllValues):)?(\w+?)(IfExists)?$/.exec(name);
    const operator = m?.[2] as Operator | undefined;
    if (!m || !operator || !(OPERATORS as readonly string[]).includes(operator) || (operator === 'Null' && m[3])) {
      throw invalid(`Invalid Condition type : ${name}`);
    }
    if (!block || typeof block !== 'object' || Array.isArray(block)) throw invalid(`Invalid Condition block : ${name}`);
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      const values = (Array.isArray(value) ? value : [value]).map((v) => {
        if (!['string', 'number', 'boolean'].includes(typeof v)) throw invalid(`Invalid Condition value for ${key}`);
        return String(v);
      });
      if (!values.length) throw invalid(`Condition ${name} has no value for ${key}`);
      for (const v of values) checkValue(operator, v, key, invalid);
      out.push({
        operator,
        ifExists: m[3] !== undefined,
        set: m[1] === 'ForAnyValue' ? 'any' : m[1] === 'ForAllValues' ? 'all' : null,
        key: key.toLowerCase(),
        values,
      });
    }
  }
  return out;
}

function checkValue(operator: Operator, value: string, key: string, invalid: (message: string) => Error): void {
  const bad =
    (operator.startsWith('Numeric') && Number.isNaN(Number(value))) ||
    (operator.startsWith('Date') && Number.isNaN(dateOf(value))) ||
    ((operator === 'Bool' || operator === 'Null') && !/^(true|false)$/i.test(value)) ||
    (operator.endsWith('IpAddress') && cidrOf(value) === null);
  if (bad) throw invalid(`Invalid Condition value ${value} for ${operator} on ${key}`);
}

/** Whether every condition holds for the request. */
export function conditionsHold(conditions: PolicyCondition[] | undefined, context: ConditionContext): boolean {
  return !conditions || conditions.every((c) => holds(c, context[c.key]));
}

function holds(c: PolicyCondition, present: string[] | undefined): boolean {
  if (c.operator === 'Null') return (present === undefined || !present.length) === (c.values[0]!.toLowerCase() === 'true');
  if (present === undefined || !present.length) {
    if (c.set === 'all') return true;
    return c.ifExists || NEGATED.has(c.operator);
  }
  const one = (value: string) => matchesAny(c.operator, value, c.values);
  if (c.set === 'all') return present.every(one);
  if (c.set === 'any') return present.some(one);
  return one(present[0]!);
}

/** Whether a request value passes the operator against the policy's values (negated operators: none matches). */
function matchesAny(operator: Operator, value: string, values: string[]): boolean {
  const negated = NEGATED.has(operator);
  const positive = negated ? positiveOf(operator) : operator;
  const hit = values.some((v) => compare(positive, value, v));
  return negated ? !hit : hit;
}

function positiveOf(operator: Operator): Operator {
  if (operator === 'NotIpAddress') return 'IpAddress';
  return operator.replace('Not', '') as Operator;
}

function compare(operator: Operator, actual: string, expected: string): boolean {
  switch (operator) {
    case 'StringEquals':
      return actual === expected;
    case 'StringEqualsIgnoreCase':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'StringLike':
      return matchesWildcard(expected, actual);
    case 'Bool':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'IpAddress': {
      const ip = cidrOf(actual);
      const range = cidrOf(expected);
      return ip !== null && range !== null && inRange(ip, range);
    }
    default:
      if (operator.startsWith('Numeric')) return order(operator.slice('Numeric'.length), Number(actual), Number(expected));
      if (operator.startsWith('Date')) return order(operator.slice('Date'.length), dateOf(actual), dateOf(expected));
      return false;
  }
}

function order(relation: string, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (relation === 'Equals') return a === b;
  if (relation === 'LessThan') return a < b;
  if (relation === 'LessThanEquals') return a <= b;
  if (relation === 'GreaterThan') return a > b;
  if (relation === 'GreaterThanEquals') return a >= b;
  return false;
}

/** A date as ISO 8601 or epoch seconds, in ms. */
function dateOf(value: string): number {
  return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}

const wildcards = new Map<string, RegExp>();
/** Whether `value` matches a policy pattern: `*` any run of characters, `?` any one (used for actions and resources too). */
export function matchesWildcard(pattern: string, value: string, caseInsensitive = false): boolean {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = wildcards.get(cacheKey);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.');
    re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    if (wildcards.size > 1000) wildcards.clear();
    wildcards.set(cacheKey, re);
  }
  return re.test(value);
}

interface Cidr {
  v6: boolean;
  address: bigint;
  bits: number;
}

/** An IPv4 or IPv6 address, with an optional `/bits` prefix; null when it is not one. */
function cidrOf(text: string): Cidr | null {
  const [ip, prefix, extra] = text.trim().split('/');
  if (extra !== undefined || !ip) return null;
  const v6 = ip.includes(':');
  const address = v6 ? ipv6(ip) : ipv4(ip);
  const max = v6 ? 128 : 32;
  if (address === null) return null;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return null;
  const bits = prefix === undefined ? max : Number(prefix);
  return bits > max ? null : { v6, address, bits };
}

function ipv4(ip: string): bigint | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

function ipv6(ip: string): bigint | null {
  // An IPv4-mapped tail (::ffff:1.2.3.4) counts as its two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  let text = ip;
  if (tail) {
    const v4 = ipv4(tail[1]!);
    if (v4 === null) return null;
    text = `${ip.slice(0, -tail[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s ? s.split(':') : []);
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.reduce((n, g) => (n << 16n) | BigInt(`0x${g}`), 0n);
}

function inRange(ip: Cidr, range: Cidr): boolean {
  if (ip.v6 !== range.v6) return false;
  const width = ip.v6 ? 128 : 32;
  const shift = BigInt(width - range.bits);
  return ip.address >> shift === range.address >> shift;
}
