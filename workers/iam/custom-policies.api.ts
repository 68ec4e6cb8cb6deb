/**
 * Flexible Engine custom policies, `/v3.0/OS-ROLE/roles`: a custom role carrying a policy document
 * (`{Version: "1.1", Statement: [{Effect, Action}]}`), attached to groups by assigning it on a domain or project.
 */
import { z } from 'zod';
import type { Role } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { identityOf } from '../lib/caller.ts';
import { limitParam, paginate } from '../lib/pagination.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { policyDocument } from './policy-document.ts';
import { createPolicy, deletePolicy, getPolicy, listPolicies, type PolicyFields, updatePolicy } from './usecases/policies.ts';

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

function view(origin: string, r: Role) {
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

/** The use cases' fields from the wire's (`display_name` is the policy's name). */
function policyFields(r: z.output<typeof updateBody>['role']): Partial<PolicyFields> {
  return {
    ...(r.display_name !== undefined ? { displayName: r.display_name } : {}),
    ...(r.type !== undefined ? { type: r.type } : {}),
    ...(r.description !== undefined ? { description: r.description } : {}),
    ...(r.policy !== undefined ? { policy: r.policy } : {}),
  };
}

export const customPolicyRoutes = router();

customPolicyRoutes.post('/OS-ROLE/roles', act('iam:policies:create'), async (c) => {
  const { role: r } = await jsonBody(c, createBody);
  const row = await createPolicy(identityOf(c), {
    displayName: r.display_name,
    type: r.type,
    description: r.description,
    policy: r.policy,
  });
  return c.json({ role: view(origin(c), row) }, 201);
});

customPolicyRoutes.get('/OS-ROLE/roles', act('iam:policies:list'), async (c) => {
  const q = query(c, listQuery);
  const rows = await listPolicies(identityOf(c), q.display_name);
  const page = paginate(rows, (r) => r.id, q.limit, q.marker);
  return c.json({
    roles: page.items.map((r) => view(origin(c), r)),
    links: { self: `${origin(c)}/iam/v3.0/OS-ROLE/roles` },
    total_number: rows.length,
  });
});

customPolicyRoutes.get('/OS-ROLE/roles/:role_id', act('iam:policies:get'), async (c) =>
  c.json({ role: view(origin(c), await getPolicy(identityOf(c), c.req.param('role_id'))) }),
);

customPolicyRoutes.patch('/OS-ROLE/roles/:role_id', act('iam:policies:update'), async (c) => {
  const { role: r } = await jsonBody(c, updateBody);
  const row = await updatePolicy(identityOf(c), c.req.param('role_id'), policyFields(r));
  return c.json({ role: view(origin(c), row) });
});

customPolicyRoutes.delete('/OS-ROLE/roles/:role_id', act('iam:policies:delete'), async (c) => {
  await deletePolicy(identityOf(c), c.req.param('role_id'));
  return c.body(null, 204);
});
