/** The owner attributes a Neutron create body may carry: they may only name the project of the token. */
import { z } from 'zod';
import type { AppContext } from '../../lib/app.ts';
import { forbidden } from '../../lib/errors.ts';
import { projectScope } from '../../lib/tenant.ts';

/** `tenant_id` and `project_id`, accepted in create bodies as Neutron does. */
export const ownerFields = { tenant_id: z.string().optional(), project_id: z.string().optional() };

/** Refuses (403, as Neutron's policy does) a body that names another project as the owner. */
export function requireOwnProject(c: AppContext, body: { tenant_id?: string; project_id?: string }): void {
  const { projectId } = projectScope(c);
  for (const id of [body.tenant_id, body.project_id])
    if (id && id !== projectId) throw forbidden('Resources are created in the project of the token only.');
}
