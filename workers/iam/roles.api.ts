/** Keystone `/v3/roles`: the system roles and an account's custom roles (which may carry a policy document). */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { hexId } from '../../core/ids.ts';
import { roleAssignments, roles } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { isSystemRoleName, systemRoleStatements } from '../auth/policy.ts';
import { directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { badRequest, conflict, forbidden } from '../lib/errors.ts';
import { jsonBody, query, someProperties } from '../lib/validate.ts';
import { isUniqueViolation, policiesChanged, revokeActors } from './changes.ts';
import { canSeeDomain, visibleRole } from './lookups.ts';
import { policyDocument } from './policy-document.ts';
import { collectionLinks, roleView } from './views.ts';

const fields = {
  name: z.string().trim().min(1).max(255),
  description: z.string().max(1024).nullable().optional(),
  policy: policyDocument.optional(),
};
const createBody = z.object({ role: z.object({ ...fields, domain_id: z.string().nullable().optional() }) });
const updateBody = z.object({ role: someProperties(z.object({ ...fields, name: fields.name.optional() })) });
// Filters on domain (global roles unless told) and name, not paged; others are ignored.
const listQuery = z.object({ domain_id: z.string().optional(), name: z.string().optional() });

const origin = (c: AppContext) => new URL(c.req.url).origin;

export const roleRoutes = router();

roleRoutes.post('/roles', act('iam:roles:create'), async (c) => {
  const { role: r } = await jsonBody(c, createBody);
  const p = c.var.principal;
  // Only the operator defines roles for every account; an account's roles are its own.
  const domainId = r.domain_id ?? (p.operator ? '' : p.domainId);
  if (domainId !== '' && !canSeeDomain(p, domainId)) throw badRequest(`Could not find domain: ${domainId}.`);
  if (domainId === '' && !p.operator) throw forbidden('Only the cloud operator creates global roles.');
  if (isSystemRoleName(r.name)) throw conflict(`Duplicate entry: '${r.name}' is a system role.`);
  try {
    const [row] = await (await directory(c.env))
      .insert(roles)
      .values({ id: hexId(), name: r.name, domainId, description: r.description ?? '', policy: r.policy ? JSON.stringify(r.policy) : null })
      .returning();
    return c.json({ role: roleView(origin(c), row!) }, 201);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Duplicate entry: a role named '${r.name}' already exists.`);
    throw err;
  }
});

roleRoutes.get('/roles', act('iam:roles:list'), async (c) => {
  const q = query(c, listQuery);
  const p = c.var.principal;
  const domains = q.domain_id ? [q.domain_id].filter((d) => canSeeDomain(p, d)) : [''];
  const rows = await (await directory(c.env))
    .select()
    .from(roles)
    .where(and(inArray(roles.domainId, domains), q.name ? eq(roles.name, q.name) : undefined))
    .orderBy(roles.name);
  return c.json({ roles: rows.map((r) => roleView(origin(c), r)), links: collectionLinks(origin(c), 'roles') });
});

roleRoutes.get('/roles/:role_id', act('iam:roles:get'), async (c) => {
  const r = await visibleRole(await directory(c.env), c.var.principal, c.req.param('role_id'));
  return c.json({ role: roleView(origin(c), r) });
});

async function customRole(c: AppContext) {
  const r = await visibleRole(await directory(c.env), c.var.principal, c.req.param('role_id') ?? '');
  if (systemRoleStatements(r.id)) throw forbidden(`The system role ${r.name} cannot be changed.`);
  if (r.domainId === '' && !c.var.principal.operator) throw forbidden('Only the cloud operator changes global roles.');
  return r;
}

roleRoutes.patch('/roles/:role_id', act('iam:roles:update'), async (c) => {
  const { role: r } = await jsonBody(c, updateBody);
  const current = await customRole(c);
  if (r.name && isSystemRoleName(r.name)) throw conflict(`Duplicate entry: '${r.name}' is a system role.`);
  const changes: Partial<typeof roles.$inferInsert> = {};
  if (r.name !== undefined) changes.name = r.name;
  if (r.description !== undefined) changes.description = r.description ?? '';
  if (r.policy !== undefined) changes.policy = JSON.stringify(r.policy);
  try {
    const [row] = Object.keys(changes).length
      ? await (await directory(c.env)).update(roles).set(changes).where(eq(roles.id, current.id)).returning()
      : [current];
    policiesChanged();
    return c.json({ role: roleView(origin(c), row!) });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Duplicate entry: a role named '${r.name}' already exists.`);
    throw err;
  }
});

roleRoutes.delete('/roles/:role_id', act('iam:roles:delete'), async (c) => {
  const r = await customRole(c);
  const db = await directory(c.env);
  const holders = await db
    .select({ type: roleAssignments.actorType, id: roleAssignments.actorId })
    .from(roleAssignments)
    .where(eq(roleAssignments.roleId, r.id));
  await db.batch([db.delete(roleAssignments).where(eq(roleAssignments.roleId, r.id)), db.delete(roles).where(eq(roles.id, r.id))]);
  await revokeActors(c.env, db, holders, 'role deleted');
  policiesChanged();
  return c.body(null, 204);
});
