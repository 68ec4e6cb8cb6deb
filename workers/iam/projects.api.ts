/** Keystone `/v3/projects` and `/v3/domains`: accounts and their projects. */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { hexId } from '../../core/ids.ts';
import { domains, groups, projects, roleAssignments, roles, users } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { badRequest, conflict, forbidden, notFound } from '../lib/errors.ts';
import { limitParam, paginate } from '../lib/pagination.ts';
import { jsonBody, query, someProperties } from '../lib/validate.ts';
import { isUniqueViolation, revokeUserTokens } from './changes.ts';
import { canSeeDomain, listingDomain, visibleProject } from './lookups.ts';
import { collectionLinks, domainView, projectView } from './views.ts';

const projectFields = {
  name: z.string().trim().min(1).max(64),
  description: z.string().max(1024).nullable().optional(),
  enabled: z.boolean().optional(),
};
const createProject = z.object({
  project: z.object({
    ...projectFields,
    domain_id: z.string().optional(),
    parent_id: z.string().nullable().optional(),
    is_domain: z.literal(false).optional(),
  }),
});
const updateProject = z.object({ project: someProperties(z.object({ ...projectFields, name: projectFields.name.optional() })) });
const domainFields = {
  name: z.string().trim().min(1).max(64),
  description: z.string().max(1024).nullable().optional(),
  enabled: z.boolean().optional(),
};
const createDomain = z.object({ domain: z.object(domainFields) });
const updateDomain = z.object({ domain: someProperties(z.object({ ...domainFields, name: domainFields.name.optional() })) });
// Projects: filters on domain, name, enabled and parent, one page after marker. Domains: name and enabled, not
// paged. Other parameters are ignored.
const projectQuery = z.object({
  domain_id: z.string().optional(),
  name: z.string().optional(),
  enabled: z.string().optional(),
  parent_id: z.string().optional(),
  limit: limitParam(),
  marker: z.string().optional(),
});
const domainQuery = z.object({ name: z.string().optional(), enabled: z.string().optional() });

const origin = (c: AppContext) => new URL(c.req.url).origin;
const bool = (v: string) => v.toLowerCase() !== 'false' && v !== '0';

export const projectRoutes = router();

projectRoutes.post('/projects', act('iam:projects:create'), async (c) => {
  const { project: pr } = await jsonBody(c, createProject);
  const p = c.var.principal;
  const domainId = pr.domain_id ?? p.domainId;
  if (!canSeeDomain(p, domainId)) throw badRequest(`Could not find domain: ${domainId}.`);
  const db = await directory(c.env);
  if (pr.parent_id && pr.parent_id !== domainId) await visibleProject(db, p, pr.parent_id);
  try {
    const [row] = await db
      .insert(projects)
      .values({
        id: hexId(),
        domainId,
        name: pr.name,
        description: pr.description ?? '',
        enabled: pr.enabled ?? true,
        parentId: pr.parent_id ?? null,
      })
      .returning();
    return c.json({ project: projectView(origin(c), row!) }, 201);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Duplicate entry: a project named '${pr.name}' already exists in this domain.`);
    throw err;
  }
});

projectRoutes.get('/projects', act('iam:projects:list'), async (c) => {
  const q = query(c, projectQuery);
  const domainId = listingDomain(c.var.principal, q.domain_id);
  const rows = await (await directory(c.env))
    .select()
    .from(projects)
    .where(
      and(
        domainId ? eq(projects.domainId, domainId) : undefined,
        q.name ? eq(projects.name, q.name) : undefined,
        q.enabled !== undefined ? eq(projects.enabled, bool(q.enabled)) : undefined,
        q.parent_id ? eq(projects.parentId, q.parent_id) : undefined,
      ),
    )
    .orderBy(projects.name, projects.id);
  const page = paginate(rows, (r) => r.id, q.limit, q.marker);
  return c.json({ projects: page.items.map((r) => projectView(origin(c), r)), links: collectionLinks(origin(c), 'projects', page.next) });
});

projectRoutes.get(
  '/projects/:project_id',
  act('iam:projects:get', { self: (c, p) => p.scope.type === 'project' && p.scope.projectId === c.req.param('project_id') }),
  async (c) => {
    const pr = await visibleProject(await directory(c.env), c.var.principal, c.req.param('project_id'));
    return c.json({ project: projectView(origin(c), pr) });
  },
);

projectRoutes.patch('/projects/:project_id', act('iam:projects:update'), async (c) => {
  const { project: pr } = await jsonBody(c, updateProject);
  const db = await directory(c.env);
  const current = await visibleProject(db, c.var.principal, c.req.param('project_id'));
  const changes: Partial<typeof projects.$inferInsert> = {};
  if (pr.name !== undefined) changes.name = pr.name;
  if (pr.description !== undefined) changes.description = pr.description ?? '';
  if (pr.enabled !== undefined) changes.enabled = pr.enabled;
  try {
    const [row] = Object.keys(changes).length
      ? await db.update(projects).set(changes).where(eq(projects.id, current.id)).returning()
      : [current];
    return c.json({ project: projectView(origin(c), row!) });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Duplicate entry: a project named '${pr.name}' already exists in this domain.`);
    throw err;
  }
});

projectRoutes.delete('/projects/:project_id', act('iam:projects:delete'), async (c) => {
  const db = await directory(c.env);
  const pr = await visibleProject(db, c.var.principal, c.req.param('project_id'));
  if (pr.regionId) throw forbidden(`Project ${pr.name} is the account's project for region ${pr.regionId} and cannot be deleted.`);
  const grants = await db
    .select({ actorId: roleAssignments.actorId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.targetType, 'project'), eq(roleAssignments.targetId, pr.id), eq(roleAssignments.actorType, 'user')));
  await db.batch([
    db.delete(roleAssignments).where(and(eq(roleAssignments.targetType, 'project'), eq(roleAssignments.targetId, pr.id))),
    db.delete(projects).where(eq(projects.id, pr.id)),
  ]);
  for (const g of grants) await revokeUserTokens(c.env, g.actorId, 'project deleted', pr.id);
  return c.body(null, 204);
});

projectRoutes.post('/domains', act('iam:domains:create'), async (c) => {
  const { domain: d } = await jsonBody(c, createDomain);
  try {
    const [row] = await (await directory(c.env))
      .insert(domains)
      .values({ id: hexId(), name: d.name, description: d.description ?? '', enabled: d.enabled ?? true })
      .returning();
    return c.json({ domain: domainView(origin(c), row!) }, 201);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Duplicate entry: a domain named '${d.name}' already exists.`);
    throw err;
  }
});

projectRoutes.get('/domains', act('iam:domains:list'), async (c) => {
  const q = query(c, domainQuery);
  const own = listingDomain(c.var.principal);
  const rows = await (await directory(c.env))
    .select()
    .from(domains)
    .where(
      and(
        own ? eq(domains.id, own) : undefined,
        q.name ? eq(domains.name, q.name) : undefined,
        q.enabled !== undefined ? eq(domains.enabled, bool(q.enabled)) : undefined,
      ),
    )
    .orderBy(domains.name);
  return c.json({ domains: rows.map((d) => domainView(origin(c), d)), links: collectionLinks(origin(c), 'domains') });
});

/**
 * Keystone's `default` domain is where users and projects go when no domain is named; here every account is its
 * own domain, so `default` is the caller's account when read (never when changed or deleted: those name it by id).
 */
const DEFAULT_DOMAIN = 'default';

async function visibleDomain(c: AppContext, readingDefault = false) {
  const asked = c.req.param('domain_id') ?? '';
  const id = readingDefault && asked === DEFAULT_DOMAIN ? c.var.principal.domainId : asked;
  const row = canSeeDomain(c.var.principal, id)
    ? await (await directory(c.env)).select().from(domains).where(eq(domains.id, id)).get()
    : undefined;
  if (!row) throw notFound(`Could not find domain: ${id}.`);
  return row;
}

projectRoutes.get('/domains/:domain_id', act('iam:domains:get'), async (c) =>
  c.json({ domain: domainView(origin(c), await visibleDomain(c, true)) }),
);

projectRoutes.patch('/domains/:domain_id', act('iam:domains:update'), async (c) => {
  const { domain: d } = await jsonBody(c, updateDomain);
  const current = await visibleDomain(c);
  const db = await directory(c.env);
  const changes: Partial<typeof domains.$inferInsert> = {};
  if (d.name !== undefined) changes.name = d.name;
  if (d.description !== undefined) changes.description = d.description ?? '';
  if (d.enabled !== undefined) changes.enabled = d.enabled;
  try {
    const [row] = Object.keys(changes).length
      ? await db.update(domains).set(changes).where(eq(domains.id, current.id)).returning()
      : [current];
    if (d.enabled === false) {
      const members = await db.select({ id: users.id }).from(users).where(eq(users.domainId, current.id));
      for (const m of members) await revokeUserTokens(c.env, m.id, 'account disabled');
    }
    return c.json({ domain: domainView(origin(c), row!) });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Duplicate entry: a domain named '${d.name}' already exists.`);
    throw err;
  }
});

projectRoutes.delete('/domains/:domain_id', act('iam:domains:delete'), async (c) => {
  const d = await visibleDomain(c);
  if (d.enabled) throw forbidden('Cannot delete a domain that is enabled, please disable it first.');
  const db = await directory(c.env);
  const left = await db.select({ id: users.id }).from(users).where(eq(users.domainId, d.id)).limit(1);
  if (left.length) throw conflict('The domain still has users; delete them first.');
  const projectIds = (await db.select({ id: projects.id }).from(projects).where(eq(projects.domainId, d.id))).map((r) => r.id);
  await db.batch([
    db.delete(roleAssignments).where(and(eq(roleAssignments.targetType, 'project'), inArray(roleAssignments.targetId, projectIds))),
    db.delete(roleAssignments).where(and(eq(roleAssignments.targetType, 'domain'), eq(roleAssignments.targetId, d.id))),
    db.delete(groups).where(eq(groups.domainId, d.id)),
    db.delete(roles).where(eq(roles.domainId, d.id)),
    db.delete(projects).where(eq(projects.domainId, d.id)),
  ]);
  await db.delete(domains).where(eq(domains.id, d.id));
  return c.body(null, 204);
});
