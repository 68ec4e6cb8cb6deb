/**
 * What the signature checks read from a request as it came over the wire: the raw query split into
 * parameters, headers under their S3 (`x-amz-`) or OBS (`x-obs-`) name, and the date forms S3 accepts.
 */
export type { S3Request } from './authenticate.ts';

/** One `name[=value]` of a raw query string, raw and decoded. */
export interface QueryParam {
  rawName: string;
  /** undefined when the parameter has no `=` (`?acl`). */
  rawValue: string | undefined;
  name: string;
  value: string;
}

/** Percent-decodes; `+` is a space only when asked (form encoding); null when the escapes are malformed. */
export function percentDecode(s: string, plusIsSpace = false): string | null {
  try {
    return decodeURIComponent(plusIsSpace ? s.replaceAll('+', ' ') : s);
  } catch {
    return null;
  }
}

/** The parameters of a raw query string, in wire order (empty names dropped), decoded as forms are (`+` is a space). */
export function parseQuery(rawQuery: string): QueryParam[] {
  const out: QueryParam[] = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? undefined : part.slice(eq + 1);
    if (!rawName) continue;
    out.push({
      rawName,
      rawValue,
      name: percentDecode(rawName, true) ?? rawName,
      value: rawValue === undefined ? '' : (percentDecode(rawValue, true) ?? rawValue),
    });
  }
  return out;
}

/** The decoded value of the first query parameter with this exact name. */
export function queryValue(params: QueryParam[], name: string): string | undefined {
  return params.find((p) => p.name === name)?.value;
}

/** A header S3 names `x-amz-{name}` and OBS `x-obs-{name}`: the S3 one wins when both are sent. */
export function amzHeader(headers: Headers, name: string): string | null {
  return headers.get(`x-amz-${name}`) ?? headers.get(`x-obs-${name}`);
}

/** Parses `20130524T000000Z` (ISO 8601 basic, SigV4's form); NaN when malformed. */
export function parseAmzDate(value: string | null | undefined): number {
  const m = value?.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** Parses an HTTP date (RFC 1123 and the other RFC 2616 forms) or an ISO 8601 basic one; NaN when neither. */
export function parseHttpDate(value: string | null | undefined): number {
  if (!value) return Number.NaN;
  const basic = parseAmzDate(value);
  return Number.isFinite(basic) ? basic : Date.parse(value);
}

/** `20130524T000000Z` of a time. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** ISO 8601 with seconds, as S3 prints times in its errors. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The bytes of a string as space-separated hex, as S3's `StringToSignBytes` shows them. */
export function spacedHex(s: string): string {
  return Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
