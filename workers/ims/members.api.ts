/**
 * Glance v2 image members: the owner of a `shared` image adds and removes member projects; a member answers
 * (accepted, rejected, or pending again) and sees only its own membership; the owner sees them all. An image
 * of another visibility has no members (403), as in Glance.
 */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { ApiError, conflict, forbidden, notFound } from '../lib/errors.ts';
import { jsonBody } from '../lib/validate.ts';
import { imsCaller, ownImage, visibleImage } from './context.ts';
import { addMember, answer, EVERYONE, MEMBER_QUOTA, membersOf, removeMember } from './usecases/members.ts';
import { memberView } from './views.ts';

export const memberRoutes = router();

/** The path's image when it can have members: a private image, shared, seen by the caller. */
async function sharedImage(c: AppContext) {
  const found = await visibleImage(c);
  if (found.where === 'catalogue' || found.image.visibility !== 'shared') throw forbidden(`Only shared images have members.`);
  return found;
}

memberRoutes.get('/v2/images/:image_id/members', act('ims:members:list'), async (c) => {
  const found = await sharedImage(c);
  const me = imsCaller(c).projectId;
  const all = await membersOf(c.env, found.owner, found.image.id);
  const mine = found.where === 'own' ? all : all.filter((m) => m.memberProjectId === me);
  return c.json({ members: mine.map(memberView), schema: '/v2/schemas/members' });
});

memberRoutes.post('/v2/images/:image_id/members', act('ims:members:create'), async (c) => {
  const image = await ownImage(c, 'add members to');
  const { member } = await jsonBody(c, z.object({ member: z.string().regex(/^[\w-]{1,255}$/) }).strict());
  if (image.visibility !== 'shared') throw forbidden(`Image ${image.id} is not shared: only shared images can have members.`);
  if (member === imsCaller(c).projectId) throw conflict('An image cannot be shared with its owner.');
  const added = await addMember(c.env, image.id, imsCaller(c).projectId, member);
  if (added === 'full') throw new ApiError(413, `Maximum number of members exceeded: ${MEMBER_QUOTA}.`);
  if (added === 'member') throw conflict(`Member ${member} already associated with image ${image.id}`);
  return c.json(memberView(added));
});

/** The membership of the path's member, as the caller may see it (the owner any, a member its own). */
async function membership(c: AppContext) {
  const found = await sharedImage(c);
  const memberId = c.req.param('member_id')!;
  if (found.where === 'shared' && memberId !== imsCaller(c).projectId) throw notFound(`Member ${memberId} not found`);
  const m = (await membersOf(c.env, found.owner, found.image.id)).find((r) => r.memberProjectId === memberId);
  if (!m) throw notFound(`${memberId} is not a member of image ${found.image.id}`);
  return { found, m };
}

memberRoutes.get('/v2/images/:image_id/members/:member_id', act('ims:members:get'), async (c) =>
  c.json(memberView((await membership(c)).m)),
);

memberRoutes.put('/v2/images/:image_id/members/:member_id', act('ims:members:update'), async (c) => {
  const { found, m } = await membership(c);
  // Glance reads only `status`; openstacksdk sends the member's other attributes with it.
  const { status } = await jsonBody(c, z.object({ status: z.enum(['accepted', 'rejected', 'pending']) }));
  if (found.where === 'own') throw forbidden("You are not permitted to modify 'status' on this image member.");
  const updated = await answer(c.env, m.ownerProjectId, m.imageId, m.memberProjectId, status);
  if (!updated) throw notFound(`${m.memberProjectId} is not a member of image ${m.imageId}`);
  return c.json(memberView(updated));
});

memberRoutes.delete('/v2/images/:image_id/members/:member_id', act('ims:members:delete'), async (c) => {
  const image = await ownImage(c, 'remove members from');
  const memberId = c.req.param('member_id');
  if (memberId === EVERYONE || !(await removeMember(c.env, imsCaller(c).projectId, image.id, memberId)))
    throw notFound(`${memberId} is not a member of image ${image.id}`);
  return c.body(null, 204);
});
