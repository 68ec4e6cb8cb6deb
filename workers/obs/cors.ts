/**
 * CORS: a bucket's rules as S3's `CORSConfiguration` XML, preflight `OPTIONS` requests answered from them, and
 * the headers a matching rule adds to actual requests. The first rule that matches the origin, the method
 * and every requested header decides; none matching is a refusal.
 */
import type { Env } from '../../core/env.ts';
import { configure, describe } from './bucket-settings.ts';
import type { S3Context } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import type { Target } from './target.ts';
import { unwrap } from './usecases/caller.ts';
import { childText, parseXml, readBodyText, xmlResponse } from './xml.ts';

/** One rule as stored: the bucket's `cors` column holds `{ rules: CorsRule[] }`. */
export interface CorsRule {
  id?: string;
  origins: string[];
  methods: string[];
  headers: string[];
  expose: string[];
  maxAge?: number;
}

/** The methods a rule may allow, as in S3. */
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
const MAX_RULES = 100;
/** S3 caps a CORS configuration at 64 KB. */
const MAX_CORS_BYTES = 64 * 1024;
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

const forbidden = (message: string) => new S3Error(403, 'AccessForbidden', message);
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evaluation of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/** Routes `?cors` on a bucket (GetBucketCors, PutBucketCors, DeleteBucketCors). */
export async function routeBucketCors(s: S3Context): Promise<Response> {
  const name = s.target.bucket!;
  switch (s.request.method) {
    case 'GET': {
      const b = await describe(s, 'getBucketCors');
      if (!b.cors) throw new S3Error(404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist', { BucketName: name });
      return xmlResponse('CORSConfiguration', { CORSRule: (JSON.parse(b.cors) as { rules: CorsRule[] }).rules.map(ruleXml) });
    }
    case 'PUT': {
      const rules = parseCors(await readBodyText(s.body, MAX_CORS_BYTES));
      const response = await configure(s, 'cors', JSON.stringify({ rules }));
      cache.delete(name);
      return response;
    }
    case 'DELETE': {
      const response = await configure(s, 'cors', null, 204);
      cache.delete(name);
      return response;
    }
    default:
      throw s3.methodNotAllowed(s.request.method, 'BUCKET');
  }
}

/** A stored rule as a `CORSRule` element, its children in the order of S3's schema. */
function ruleXml(r: CorsRule) {
  return {
    ID: r.id,
    AllowedHeader: r.headers,
    AllowedMethod: r.methods,
    AllowedOrigin: r.origins,
    ExposeHeader: r.expose,
    MaxAgeSeconds: r.maxAge,
  };
}

/** The texts of a repeated child element (the parser always gives an array for these). */
function texts(node: Record<string, unknown>, name: string): string[] {
  return ((node[name] ?? []) as unknown[]).map((v) =>
    v && typeof v === 'object' ? String((v as Record<string, unknown>)['#text'] ?? '') : String(v),
  );
}

function singleWildcard(kind: string, values: string[]): void {
  for (const v of values) {
    if (v.split('*').length > 2) throw s3.invalidRequest(`${kind} "${v}" can not have more than one wildcard.`);
  }
}

/** Validates a `CORSConfiguration` document into rules. */
export function parseCors(text: string): CorsRule[] {
  const doc = parseXml(text, 'CORSConfiguration');
  const raw = (doc.CORSRule ?? []) as unknown[];
  if (!raw.length) throw s3.malformedXml();
  if (raw.length > MAX_RULES) throw s3.invalidRequest(`The number of CORS rules should not exceed allowed limit of ${MAX_RULES} rules.`);
  return raw.map((node) => {
    if (!node || typeof node !== 'object') throw s3.malformedXml();
    const r = node as Record<string, unknown>;
    const rule: CorsRule = {
      origins: texts(r, 'AllowedOrigin'),
      methods: texts(r, 'AllowedMethod'),
      headers: texts(r, 'AllowedHeader'),
      expose: texts(r, 'ExposeHeader'),
    };
    if (!rule.origins.length || !rule.methods.length) throw s3.malformedXml();
    for (const m of rule.methods) {
      if (!METHODS.includes(m)) throw s3.invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
    singleWildcard('AllowedOrigin', rule.origins);
    singleWildcard('AllowedHeader', rule.headers);
    for (const h of rule.expose) {
      if (h.includes('*'))
        throw s3.invalidRequest(`ExposeHeader "${h}" contains wildcard. We currently do not support wildcard for ExposeHeader.`);
    }
    const id = childText(r, 'ID');
    if (id !== undefined) {
      if (id.length > 255) throw s3.invalidRequest('The ID of a CORS rule can not be longer than 255 characters.');
      rule.id = id;
    }
    const age = childText(r, 'MaxAgeSeconds');
    if (age !== undefined) {
      if (!/^\d{1,10}$/.test(age) || Number(age) > 2 ** 31 - 1) throw s3.malformedXml();
      rule.maxAge = Number(age);
    }
    return rule;
  });
}

/** Whether a value matches a pattern with at most one `*` (case-insensitive: origins and header names both are). */
function wildcardMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The first rule allowing the origin, the method and every requested header, with the origin pattern that matched. */
function matchRule(rules: CorsRule[], origin: string, method: string, headers: string[]): { rule: CorsRule; pattern: string } | null {
  for (const rule of rules) {
    if (!rule.methods.includes(method)) continue;
    const pattern = rule.origins.find((o) => wildcardMatch(o, origin));
    if (pattern === undefined) continue;
    if (headers.every((h) => rule.headers.some((allowed) => wildcardMatch(allowed, h)))) return { rule, pattern };
  }
  return null;
}

/** The headers a matched rule grants; `requested` are a preflight's Access-Control-Request-Headers. */
function corsHeaders(match: { rule: CorsRule; pattern: string }, origin: string, requested: string[] = []): Record<string, string> {
  const { rule, pattern } = match;
  const h: Record<string, string> = { Vary: VARY, 'Access-Control-Allow-Methods': rule.methods.join(', ') };
  if (pattern === '*') h['Access-Control-Allow-Origin'] = '*';
  else {
    // A named origin may send credentials (cookies, authorization); `*` never can, by the CORS protocol.
    h['Access-Control-Allow-Origin'] = origin;
    h['Access-Control-Allow-Credentials'] = 'true';
  }
  if (requested.length) h['Access-Control-Allow-Headers'] = requested.join(', ');
  if (rule.expose.length) h['Access-Control-Expose-Headers'] = rule.expose.join(', ');
  if (rule.maxAge !== undefined) h['Access-Control-Max-Age'] = String(rule.maxAge);
  return h;
}

/**
 * Rules per bucket, kept in the isolate for a few seconds: browsers send a preflight before most requests and an
 * Origin header on every one, and a bucket's rules change rarely. A change made through this isolate is seen at
 * once; one made through another is seen within CACHE_MS.
 */
const CACHE_MS = 5_000;
const CACHE_MAX = 1_000;
const cache = new Map<string, { rules: CorsRule[] | null; until: number }>();

async function rulesOf(env: Env, bucket: string): Promise<CorsRule[] | null> {
  const hit = cache.get(bucket);
  if (hit && hit.until > Date.now()) return hit.rules;
  const json = unwrap(await env.BUCKET.getByName(bucket).corsRules(bucket));
  const rules = json ? (JSON.parse(json) as { rules: CorsRule[] }).rules : null;
  cache.delete(bucket);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(bucket, { rules, until: Date.now() + CACHE_MS });
  return rules;
}

/** Answers a preflight request (no signature: a browser sends none). */
export async function preflight(env: Env, request: Request, target: Target): Promise<Response> {
  const origin = request.headers.get('origin');
  const method = request.headers.get('access-control-request-method');
  if (!origin) throw new S3Error(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  if (!method || !METHODS.includes(method))
    throw new S3Error(400, 'BadRequest', `Invalid Access-Control-Request-Method: ${method ?? 'null'}`);
  if (target.bucket === null) throw forbidden('CORSResponse: Bucket not found');
  const rules = await rulesOf(env, target.bucket);
  if (!rules) throw forbidden('CORSResponse: CORS is not enabled for this bucket.');
  const requested = (request.headers.get('access-control-request-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const match = matchRule(rules, origin, method, requested);
  if (!match) throw forbidden(NOT_ALLOWED);
  return new Response(null, { status: 200, headers: corsHeaders(match, origin, requested) });
}

/** Adds the CORS headers a matching rule grants to an actual (non-preflight) response. */
export async function withCors(s: S3Context, response: Response): Promise<Response> {
  const origin = s.request.headers.get('origin');
  // Most requests are not from a browser: no Origin, no look-up.
  if (!origin || s.target.bucket === null) return response;
  let rules: CorsRule[] | null;
  try {
    rules = await rulesOf(s.env, s.target.bucket);
  } catch (err) {
    // The request itself succeeded (a bucket may just have been deleted): it is answered without CORS headers.
    console.warn(JSON.stringify({ request_id: s.requestId, cors: String(err) }));
    return response;
  }
  const match = rules && matchRule(rules, origin, s.request.method, []);
  if (!match) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(corsHeaders(match, origin))) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
