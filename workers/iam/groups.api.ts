/** Keystone `/v3/groups` and membership (the use cases in usecases/groups.ts). */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { identityOf } from '../lib/caller.ts';
import { limitParam, paginate } from '../lib/pagination.ts';
import { jsonBody, query, someProperties } from '../lib/validate.ts';
import {
  addMember,
  checkMember,
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  membersOf,
  removeMember,
  updateGroup,
} from './usecases/groups.ts';
import { collectionLinks, groupView, userView } from './views.ts';

const fields = { name: z.string().trim().min(1).max(64), description: z.string().max(1024).nullable().optional() };
const createBody = z.object({ group: z.object({ ...fields, domain_id: z.string().optional() }) });
const updateBody = z.object({ group: someProperties(z.object({ ...fields, name: fields.name.optional() })) });
// Filters on domain and name, one page after marker; others are ignored.
const listQuery = z.object({
  domain_id: z.string().optional(),
  name: z.string().optional(),
  limit: limitParam(),
  marker: z.string().optional(),
});

const origin = (c: AppContext) => new URL(c.req.url).origin;

export const groupRoutes = router();

groupRoutes.post('/groups', act('iam:groups:create'), async (c) => {
  const { group: g } = await jsonBody(c, createBody);
  const row = await createGroup(identityOf(c), { name: g.name, description: g.description, domainId: g.domain_id });
  return c.json({ group: groupView(origin(c), row) }, 201);
});

groupRoutes.get('/groups', act('iam:groups:list'), async (c) => {
  const q = query(c, listQuery);
  const rows = await listGroups(identityOf(c), { domainId: q.domain_id, name: q.name });
  const page = paginate(rows, (g) => g.id, q.limit, q.marker);
  return c.json({ groups: page.items.map((g) => groupView(origin(c), g)), links: collectionLinks(origin(c), 'groups', page.next) });
});

groupRoutes.get('/groups/:group_id', act('iam:groups:get'), async (c) =>
  c.json({ group: groupView(origin(c), await getGroup(identityOf(c), c.req.param('group_id'))) }),
);

groupRoutes.patch('/groups/:group_id', act('iam:groups:update'), async (c) => {
  const { group: g } = await jsonBody(c, updateBody);
  const row = await updateGroup(identityOf(c), c.req.param('group_id'), g);
  return c.json({ group: groupView(origin(c), row) });
});

groupRoutes.delete('/groups/:group_id', act('iam:groups:delete'), async (c) => {
  await deleteGroup(identityOf(c), c.req.param('group_id'));
  return c.body(null, 204);
});

groupRoutes.get('/groups/:group_id/users', act('iam:groups:get'), async (c) => {
  const { group, users } = await membersOf(identityOf(c), c.req.param('group_id'));
  return c.json({ users: users.map((u) => userView(origin(c), u)), links: collectionLinks(origin(c), `groups/${group.id}/users`) });
});

groupRoutes.put('/groups/:group_id/users/:user_id', act('iam:groups:update'), async (c) => {
  await addMember(identityOf(c), c.req.param('group_id'), c.req.param('user_id'));
  return c.body(null, 204);
});

/** Answers 204 when the user is a member of the group, 404 otherwise (Keystone's membership check). */
async function checkMembership(c: AppContext) {
  await checkMember(identityOf(c), c.req.param('group_id') ?? '', c.req.param('user_id') ?? '');
  return c.body(null, 204);
}

groupRoutes.on('HEAD', '/groups/:group_id/users/:user_id', act('iam:groups:get'), checkMembership);
groupRoutes.get('/groups/:group_id/users/:user_id', act('iam:groups:get'), checkMembership);

groupRoutes.delete('/groups/:group_id/users/:user_id', act('iam:groups:update'), async (c) => {
  await removeMember(identityOf(c), c.req.param('group_id'), c.req.param('user_id'));
  return c.body(null, 204);
});
