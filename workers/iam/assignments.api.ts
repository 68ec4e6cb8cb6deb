/**
 * Role assignments: grants of a role to a user or group on a project or domain, and `/v3/role_assignments`.
 * Actor, target and role must all be visible to the caller, and actor and target in one account.
 */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { identityOf } from '../lib/caller.ts';
import { query } from '../lib/validate.ts';
import {
  type ActorType,
  assignmentNames,
  checkRole,
  type Grant,
  grantRole,
  listAssignments,
  revokeRole,
  rolesGranted,
  type TargetType,
} from './usecases/assignments.ts';
import { collectionLinks, roleView } from './views.ts';

// Filters on role, scope, group and user; `effective` expands group grants to their members, `include_names` adds
// names (both flags, whatever their value). Not paged; other parameters are ignored.
const listQuery = z.object({
  'role.id': z.string().optional(),
  'scope.project.id': z.string().optional(),
  'scope.domain.id': z.string().optional(),
  'group.id': z.string().optional(),
  'user.id': z.string().optional(),
  effective: z.string().optional(),
  include_names: z.string().optional(),
});
function mount(r: ReturnType<typeof router>, targetType: TargetType, actorType: ActorType) {
  const base = `/${targetType}s/:target_id/${actorType}s/:actor_id/roles`;
  const grant = (c: AppContext): Grant => ({
    targetType,
    targetId: c.req.param('target_id') ?? '',
    actorType,
    actorId: c.req.param('actor_id') ?? '',
  });
  r.get(base, act('iam:assignments:list'), async (c) => {
    const rows = await rolesGranted(identityOf(c), grant(c));
    return c.json({
      roles: rows.map((x) => roleView(new URL(c.req.url).origin, x)),
      links: collectionLinks(new URL(c.req.url).origin, base),
    });
  });
  r.put(`${base}/:role_id`, act('iam:assignments:create'), async (c) => {
    await grantRole(identityOf(c), grant(c), c.req.param('role_id'));
    return c.body(null, 204);
  });
  const exists = act('iam:assignments:get');
  const check = async (c: AppContext) => {
    await checkRole(identityOf(c), grant(c), c.req.param('role_id') ?? '');
    return c.body(null, 204);
  };
  r.get(`${base}/:role_id`, exists, check);
  r.on('HEAD', `${base}/:role_id`, exists, check);
  r.delete(`${base}/:role_id`, act('iam:assignments:delete'), async (c) => {
    await revokeRole(identityOf(c), grant(c), c.req.param('role_id'));
    return c.body(null, 204);
  });
}

export const assignmentRoutes = router();
for (const t of ['project', 'domain'] as const) for (const a of ['user', 'group'] as const) mount(assignmentRoutes, t, a);

assignmentRoutes.get('/role_assignments', act('iam:assignments:list'), async (c) => {
  const q = query(c, listQuery);
  const rows = await listAssignments(identityOf(c), {
    roleId: q['role.id'],
    projectId: q['scope.project.id'],
    domainId: q['scope.domain.id'],
    groupId: q['group.id'],
    userId: q['user.id'],
    effective: q.effective !== undefined,
  });
  const names = q.include_names !== undefined;
  const origin = new URL(c.req.url).origin;
  const n = names ? await assignmentNames(identityOf(c), rows) : undefined;
  const named = (id: string, name?: string, domainId?: string) =>
    n ? { id, name, ...(domainId ? { domain: { id: domainId, name: n.domains.get(domainId)?.name } } : {}) } : { id };
  const body = rows.map((r) => {
    const actorDomain = r.actorType === 'user' ? n?.users.get(r.actorId)?.domainId : n?.groups.get(r.actorId)?.domainId;
    const actorName = r.actorType === 'user' ? n?.users.get(r.actorId)?.name : n?.groups.get(r.actorId)?.name;
    const pr = n?.projects.get(r.targetId);
    return {
      role: named(r.roleId, n?.roles.get(r.roleId)?.name),
      [r.actorType]: named(r.actorId, actorName, actorDomain),
      scope:
        r.targetType === 'project'
          ? { project: named(r.targetId, pr?.name, pr?.domainId) }
          : { domain: named(r.targetId, n?.domains.get(r.targetId)?.name) },
      links: { assignment: `${origin}/iam/v3/${r.targetType}s/${r.targetId}/${r.actorType}s/${r.actorId}/roles/${r.roleId}` },
    };
  });
  return c.json({ role_assignments: body, links: collectionLinks(origin, 'role_assignments') });
});
