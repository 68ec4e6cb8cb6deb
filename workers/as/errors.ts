/**
 * Auto Scaling's refusals: a router whose errors are in AS's envelope (`{"error": {"code": "AS.xxxx", "message"}}`)
 * with its codes (its error table: AS.0007 no such resource, AS.0011 no right, AS.0022 a bad request body).
 */
import { codedRouter } from '../lib/app.ts';

const BY_STATUS: Record<number, string> = { 400: 'AS.0022', 403: 'AS.0011', 404: 'AS.0007', 409: 'AS.0022' };

/** The `AS.xxxx` code of a refusal (a kind that is a code already passes as it is). */
export function asCode(status: number, kind?: string): string | undefined {
  if (kind && /^AS\.\d{4}$/.test(kind)) return kind;
  return BY_STATUS[status];
}

/** A router for Auto Scaling's routes. */
export const asRouter = () => codedRouter(asCode);
