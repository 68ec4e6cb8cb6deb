/** Keystone `/v3/users`: accounts' users, their passwords, groups and projects (the use cases in usecases/users.ts). */
import { z } from 'zod';
import { act, authenticated } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { identityOf } from '../lib/caller.ts';
import { limitParam, paginate } from '../lib/pagination.ts';
import { jsonBody, query, someProperties } from '../lib/validate.ts';
import {
  changeOwnPassword,
  createUser,
  deleteUser,
  getUser,
  groupsOfUser,
  listUsers,
  projectsOfUser,
  type UserChange,
  updateUser,
} from './usecases/users.ts';
import { collectionLinks, groupView, projectView, userView } from './views.ts';

const name = z.string().trim().min(1).max(255);
const userFields = {
  name,
  password: z.string().min(1).max(4096).nullable().optional(),
  enabled: z.boolean().optional(),
  description: z.string().max(1024).nullable().optional(),
  email: z.string().max(255).nullable().optional(),
  default_project_id: z.string().nullable().optional(),
};
const createBody = z.object({ user: z.object({ ...userFields, domain_id: z.string().optional() }) });
const updateBody = z.object({ user: someProperties(z.object({ ...userFields, name: name.optional() })) });
// Filters on domain, name and enabled (anything but false and 0 is true), one page after marker; others are ignored.
const listQuery = z.object({
  domain_id: z.string().optional(),
  name: z.string().optional(),
  enabled: z.string().optional(),
  limit: limitParam(),
  marker: z.string().optional(),
});
const passwordBody = z.object({
  user: z.object({ password: z.string().min(1).max(4096), original_password: z.string() }).strict(),
});

const origin = (c: AppContext) => new URL(c.req.url).origin;
const isSelf = (c: AppContext) => c.req.param('user_id') === c.var.principal?.userId;

export const userRoutes = router();

userRoutes.post('/users', act('iam:users:create'), async (c) => {
  const { user: u } = await jsonBody(c, createBody);
  const created = await createUser(identityOf(c), {
    name: u.name,
    domainId: u.domain_id,
    password: u.password,
    enabled: u.enabled,
    description: u.description,
    email: u.email,
    defaultProjectId: u.default_project_id,
  });
  return c.json({ user: userView(origin(c), created) }, 201);
});

userRoutes.get('/users', act('iam:users:list'), async (c) => {
  const q = query(c, listQuery);
  const rows = await listUsers(identityOf(c), {
    domainId: q.domain_id,
    name: q.name,
    enabled: q.enabled !== undefined ? q.enabled.toLowerCase() !== 'false' && q.enabled !== '0' : undefined,
  });
  const page = paginate(rows, (u) => u.id, q.limit, q.marker);
  return c.json({ users: page.items.map((u) => userView(origin(c), u)), links: collectionLinks(origin(c), 'users', page.next) });
});

userRoutes.get('/users/:user_id', act('iam:users:get', { self: isSelf }), async (c) => {
  const user = await getUser(identityOf(c), c.req.param('user_id'));
  return c.json({ user: userView(origin(c), user) });
});

userRoutes.patch('/users/:user_id', act('iam:users:update'), async (c) => {
  const { user: u } = await jsonBody(c, updateBody);
  const change: UserChange = {};
  // Only the attributes the body names change; unknown attributes are dropped.
  if (u.name !== undefined) change.name = u.name;
  if (u.enabled !== undefined) change.enabled = u.enabled;
  if (u.description !== undefined) change.description = u.description;
  if (u.email !== undefined) change.email = u.email;
  if (u.default_project_id !== undefined) change.defaultProjectId = u.default_project_id;
  if (u.password !== undefined) change.password = u.password;
  const updated = await updateUser(identityOf(c), c.req.param('user_id'), change);
  return c.json({ user: userView(origin(c), updated) });
});

userRoutes.delete('/users/:user_id', act('iam:users:delete'), async (c) => {
  await deleteUser(identityOf(c), c.req.param('user_id'));
  return c.body(null, 204);
});

userRoutes.post('/users/:user_id/password', authenticated(), async (c) => {
  const { user: body } = await jsonBody(c, passwordBody);
  await changeOwnPassword(identityOf(c), c.req.param('user_id'), body.original_password, body.password);
  return c.body(null, 204);
});

userRoutes.get('/users/:user_id/groups', act('iam:users:get', { self: isSelf }), async (c) => {
  const { user, groups } = await groupsOfUser(identityOf(c), c.req.param('user_id'));
  return c.json({ groups: groups.map((g) => groupView(origin(c), g)), links: collectionLinks(origin(c), `users/${user.id}/groups`) });
});

userRoutes.get('/users/:user_id/projects', act('iam:users:get', { self: isSelf }), async (c) => {
  const { user, projects } = await projectsOfUser(identityOf(c), c.req.param('user_id'));
  return c.json({
    projects: projects.map((r) => projectView(origin(c), r)),
    links: collectionLinks(origin(c), `users/${user.id}/projects`),
  });
});
