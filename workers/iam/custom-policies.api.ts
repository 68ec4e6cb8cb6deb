/**
 * Flexible Engine custom policies, `/v3.0/OS-ROLE/roles`: a custom role carrying a policy document
 * (`{Version: "1.1", Statement: [{Effect, Action}]}`), attached to groups by assigning it on a domain or project.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { roleAssignments, roles } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { isSystemRoleName } from '../auth/policy.ts';
import { directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { conflict, notFound } from '../lib/errors.ts';
import { hexId } from '../lib/ids.ts';
import { limitParam, paginate } from '../lib/pagination.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { isUniqueViolation, policiesChanged, revokeActors } from './changes.ts';
import { policyDocument } from './policy-document.ts';

const fields = {
  display_name: z.string().trim().min(1).max(128),
  type: z.enum(['AX', 'XA']),
  description: z.string().max(1000).optional(),
  policy: policyDocument,
};
const createBody = z.object({ role: z.object(fields).strict() });
const updateBody = z.object({ role: z.object(fields).partial().strict() });
// Filters on display_name, one page of per_page (else limit) after marker; others are ignored.
const listQuery = z
  .object({
    display_name: z.string().optional(),
    per_page: z.string().optional(),
    limit: z.string().optional(),
    marker: z.string().optional(),
  })
  .transform(({ per_page, limit, ...q }): { display_name?: string; limit?: string; marker?: string } => ({
    ...q,
    limit: per_page ?? limit,
  }))
  .pipe(z.object({ display_name: z.string().optional(), limit: limitParam(), marker: z.string().optional() }));

type Row = typeof roles.$inferSelect;

function view(origin: string, r: Row) {
  return {
    id: r.id,
    name: r.name,
    display_name: r.name,
    type: r.policyType ?? 'XA',
    description: r.description,
    domain_id: r.domainId,
    catalog: 'CUSTOMED',
    flag: '',
    policy: JSON.parse(r.policy ?? '{}'),
    created_time: String(Date.parse(r.createdAt)),
    updated_time: String(Date.parse(r.updatedAt ?? r.createdAt)),
    links: { self: `${origin}/iam/v3/roles/${r.id}` },
  };
}

const origin = (c: AppContext) => new URL(c.req.url).origin;

async function ownPolicy(c: AppContext) {
  const id = c.req.param('role_id') ?? '';
  const row = await (await directory(c.env))
    .select()
    .from(roles)
    .where(and(eq(roles.id, id), eq(roles.domainId, c.var.principal.domainId)))
    .get();
  if (!row?.policy) throw notFound(`Could not find custom policy: ${id}.`);
  return row;
}

const duplicate = (name?: string) => conflict(`Duplicate entry: a policy named '${name}' already exists.`);

export const customPolicyRoutes = router();

customPolicyRoutes.post('/OS-ROLE/roles', act('iam:policies:create'), async (c) => {
  const { role: r } = await jsonBody(c, createBody);
  if (isSystemRoleName(r.display_name)) throw duplicate(r.display_name);
  try {
    const [row] = await (await directory(c.env))
      .insert(roles)
      .values({
        id: hexId(),
        name: r.display_name,
        domainId: c.var.principal.domainId,
        description: r.description ?? '',
        policy: JSON.stringify(r.policy),
        policyType: r.type,
      })
      .returning();
    return c.json({ role: view(origin(c), row!) }, 201);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(r.display_name);
    throw err;
  }
});

customPolicyRoutes.get('/OS-ROLE/roles', act('iam:policies:list'), async (c) => {
  const q = query(c, listQuery);
  const rows = (
    await (await directory(c.env)).select().from(roles).where(eq(roles.domainId, c.var.principal.domainId)).orderBy(roles.name)
  ).filter((r) => r.policy && (!q.display_name || r.name === q.display_name));
  const page = paginate(rows, (r) => r.id, q.limit, q.marker);
  return c.json({
    roles: page.items.map((r) => view(origin(c), r)),
    links: { self: `${origin(c)}/iam/v3.0/OS-ROLE/roles` },
    total_number: rows.length,
  });
});

customPolicyRoutes.get('/OS-ROLE/roles/:role_id', act('iam:policies:get'), async (c) =>
  c.json({ role: view(origin(c), await ownPolicy(c)) }),
);

customPolicyRoutes.patch('/OS-ROLE/roles/:role_id', act('iam:policies:update'), async (c) => {
  const { role: r } = await jsonBody(c, updateBody);
  const current = await ownPolicy(c);
  if (r.display_name && isSystemRoleName(r.display_name)) throw duplicate(r.display_name);
  const changes: Partial<typeof roles.$inferInsert> = { updatedAt: new Date().toISOString() };
  if (r.display_name !== undefined) changes.name = r.display_name;
  if (r.description !== undefined) changes.description = r.description;
  if (r.type !== undefined) changes.policyType = r.type;
  if (r.policy !== undefined) changes.policy = JSON.stringify(r.policy);
  try {
    const [row] = await (await directory(c.env)).update(roles).set(changes).where(eq(roles.id, current.id)).returning();
    policiesChanged();
    return c.json({ role: view(origin(c), row!) });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(r.display_name);
    throw err;
  }
});

customPolicyRoutes.delete('/OS-ROLE/roles/:role_id', act('iam:policies:delete'), async (c) => {
  const current = await ownPolicy(c);
  const db = await directory(c.env);
  const holders = await db
    .select({ type: roleAssignments.actorType, id: roleAssignments.actorId })
    .from(roleAssignments)
    .where(eq(roleAssignments.roleId, current.id));
  await db.batch([
    db.delete(roleAssignments).where(eq(roleAssignments.roleId, current.id)),
    db.delete(roles).where(eq(roles.id, current.id)),
  ]);
  await revokeActors(c.env, db, holders, 'policy deleted');
  policiesChanged();
  return c.body(null, 204);
});
