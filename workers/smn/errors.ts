/**
 * SMN's refusals: a router whose errors are in SMN v2's envelope (`{request_id, code, message}`) with the owner's
 * `SMN.xxxx` codes (durable/smn/rules.ts), and a code per status for the refusals of the edge (a bad body).
 */
import { codedRouter, family } from '../lib/app.ts';

/** The `SMN.xxxx` code of a refusal: the owner's when it gave one, else the family's default for the status. */
export function smnCode(_status: number, kind?: string): string | undefined {
  return kind && /^SMN\.\d{4}$/.test(kind) ? kind : undefined;
}

/** A router for SMN's routes. */
export function smnRouter() {
  const r = codedRouter(smnCode);
  r.use(family('smn'));
  return r;
}
