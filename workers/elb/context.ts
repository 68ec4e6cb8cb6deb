/**
 * What an LBaaS route needs before it answers: the project's load balancing rows read once, their views, one
 * object by id (Octavia's 404 when another project's), Octavia's list semantics, and the body fields every
 * object shares.
 */
import { z } from 'zod';
import type { AppContext } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { forbidden, notFound } from '../lib/errors.ts';
import { projectScope } from '../lib/tenant.ts';
import { neutronFields, neutronList } from '../vpc/neutron/list.ts';
import { balancing } from './usecases/loadbalancers.ts';
import { type Graph, views } from './views.ts';

/** The project's load balancing rows and their views. */
export async function graph(c: AppContext) {
  const g: Graph = await balancing(callerOf(c));
  return { g, v: views(projectScope(c).projectId, g) };
}

/** One row by id from a collection, or Octavia's 404 in its words (`Load Balancer X not found.`). */
export function one<T extends { id: string }>(rows: T[], kind: string, id: string): T {
  const row = rows.find((r) => r.id === id);
  if (!row) throw notFound(`${kind} ${id} not found.`);
  return row;
}

/** A list as Octavia answers it: filters on any attribute, sorting, limit/marker, fields, and `<collection>_links`. */
export function octaviaList(c: AppContext, collection: string, items: Record<string, unknown>[]) {
  const out = neutronList(c, collection, items);
  return { [`${collection}_links`]: [], ...out };
}

/** Applies `fields=` to one object. */
export const fields = (c: AppContext, item: Record<string, unknown>) => neutronFields(c, item);

/** `?cascade=true` on a load balancer's delete. */
export const cascadeQuery = z.object({ cascade: z.enum(['true', 'false', 'True', 'False']).optional() }).loose();

/** Fields every LBaaS object takes on create and update. */
export const common = {
  name: z.string().max(255).nullish(),
  description: z.string().max(255).nullish(),
  admin_state_up: z.boolean().optional(),
  tags: z.array(z.string().max(255)).max(50).optional(),
};

/** Owner fields a create may name: only the caller's own project. */
export const owner = {
  project_id: z.string().optional(),
  tenant_id: z.string().optional(),
};

/** Refuses a create for another project (the caller's project is the only one it may name). */
export function requireOwn(c: AppContext, body: { project_id?: string; tenant_id?: string }): void {
  const { projectId } = projectScope(c);
  for (const p of [body.project_id, body.tenant_id])
    if (p !== undefined && p !== projectId) throw forbidden('Policy does not allow this request to be performed.');
}
