/** Validation at the edge: every JSON body and query is checked against a schema before it goes further. */
import { z } from 'zod';
import type { AppContext } from './app.ts';
import { ApiError, badRequest } from './errors.ts';

/** Largest JSON body accepted by the APIs (bigger ones get 413 in the family's envelope). */
export const MAX_JSON_BYTES = 1024 * 1024;

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom' && issue.params?.verbatim) return issue.message;
  const field = issue.path.map(String).join('.');
  return field ? `Invalid input for field '${field}': ${issue.message}` : `Invalid input: ${issue.message}`;
}

/** Applies a schema to a value, throwing a 400 that names the first offending field. */
export function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(describeIssue(result.error.issues[0] as z.core.$ZodIssue));
  return result.data;
}

/**
 * An update's object, refused when it has no property at all, as Keystone's update schemas do
 * (`minProperties: 1`): an empty patch is a mistake of the client's, not a request to change nothing.
 */
export function someProperties<S extends z.ZodType<unknown, Record<string, unknown>>>(schema: S) {
  return z
    .record(z.string(), z.unknown())
    .refine((o) => Object.keys(o).length > 0, { error: '{} does not have enough properties' })
    .pipe(schema);
}

/** A NUL, or half of a surrogate pair: JSON can spell them, but no field of these APIs holds them as text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isNotText = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/**
 * The path of the first key or string of a JSON value that is not text, or null. A NUL was stored whole but shown
 * cut (three users listed as "boss"), a lone surrogate was stored mangled: both are refused before any schema.
 */
function notText(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return isNotText(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [k, v] of Object.entries(value)) {
    if (isNotText(k)) return [...path, k];
    const found = notText(v, [...path, k]);
    if (found) return found;
  }
  return null;
}

/** Reads the request body as JSON within the size limit and validates it. */
export async function jsonBody<S extends z.ZodType>(c: AppContext, schema: S): Promise<z.output<S>> {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_JSON_BYTES) throw new ApiError(413, 'Request body too large.');
  const text = await c.req.text();
  if (text.length > MAX_JSON_BYTES) throw new ApiError(413, 'Request body too large.');
  let value: unknown;
  try {
    value = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw badRequest('Malformed request body: the body is not valid JSON.');
  }
  if (value === undefined) throw badRequest('The request body is empty: a JSON object is required.');
  const bad = notText(value);
  if (bad) throw badRequest(`Invalid input for field '${bad.join('.')}': a NUL character or a lone surrogate is not allowed.`);
  return check(schema, value);
}

/** Validates the query string (single values; repeated keys keep the first). */
export function query<S extends z.ZodType>(c: AppContext, schema: S): z.output<S> {
  return check(schema, c.req.query());
}

/** Validates the query string as its [key, value] pairs in order, for lists where a repeated key means any of. */
export function queryPairs<S extends z.ZodType>(c: AppContext, schema: S): z.output<S> {
  return check(schema, [...new URL(c.req.url).searchParams]);
}

/** The schema of a query's [key, value] pairs, for `queryPairs`. */
export const pairs = z.array(z.tuple([z.string(), z.string()]));

/**
 * A query value that must pass `accept`, refused with the API's own whole message (no field prefix): clients
 * match the words Nova, Neutron and Keystone use for a bad limit or filter.
 */
export function param(accept: (raw: string) => boolean, message: (raw: string) => string) {
  return z.string().refine(accept, { error: (issue) => message(String(issue.input)), params: { verbatim: true } });
}

/** Adds an issue worded as the API's own whole message, from a transform or a refinement. */
export function refuse(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message, params: { verbatim: true } });
  return z.NEVER;
}
