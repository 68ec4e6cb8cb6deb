/**
 * Cloud Eye's refusals: a router whose errors are in Cloud Eye v1's envelope (`{code, element, message, details:
 * {details, code}}`) with its `ces.xxxx` codes (its error table: ces.0014 a bad body, ces.0013 a bad query
 * parameter, ces.0016 no such resource).
 */
import { codedRouter, family } from '../lib/app.ts';

const BY_STATUS: Record<number, string> = { 400: 'ces.0014', 403: 'ces.0017', 404: 'ces.0016', 409: 'ces.0011' };

/** The `ces.xxxx` code of a refusal (a kind that is a code already passes as it is). */
export function cesCode(status: number, kind?: string): string | undefined {
  if (kind && /^ces\.\d{4}$/.test(kind)) return kind;
  return BY_STATUS[status];
}

/** A router for Cloud Eye's routes. */
export function cesRouter() {
  const r = codedRouter(cesCode);
  r.use(family('ces'));
  return r;
}
