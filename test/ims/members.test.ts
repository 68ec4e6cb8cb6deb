/** Sharing images: members of shared images only, the member answers, visibility decides who lists what. */
import { describe, expect, it } from 'vitest';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { createImage, expectGlanceError, glance, imageProject, patch } from './fixtures.ts';

const ids = (body: { images: { id: string }[] }) => body.images.map((i) => i.id);

describe('image members', () => {
  it('shares with another project, listed there only once accepted; the member sees only its membership', async () => {
    const owner = await imageProject('imso');
    const other = await imageProject('imsm');
    const third = await imageProject('imst');
    const img = await createImage(owner.token, { name: 'to-share' });
    expectGlanceError(await glance(other.token, 'GET', `/v2/images/${img.id}`), 404);
    const added = await glance(owner.token, 'POST', `/v2/images/${img.id}/members`, { member: other.project });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body).toMatchObject({ image_id: img.id, member_id: other.project, status: 'pending', schema: '/v2/schemas/member' });
    expectGlanceError(await glance(owner.token, 'POST', `/v2/images/${img.id}/members`, { member: other.project }), 409);
    await glance(owner.token, 'POST', `/v2/images/${img.id}/members`, { member: third.project });
    // Pending: shown by id, not listed unless asked.
    expect((await glance(other.token, 'GET', `/v2/images/${img.id}`)).body).toMatchObject({
      id: img.id,
      __imagetype: 'shared',
      owner: owner.project,
    });
    expect(ids((await glance(other.token, 'GET', '/v2/images')).body)).not.toContain(img.id);
    expect(ids((await glance(other.token, 'GET', '/v2/images?member_status=pending&visibility=shared')).body)).toEqual([img.id]);
    // Only the member answers.
    expectGlanceError(await glance(owner.token, 'PUT', `/v2/images/${img.id}/members/${other.project}`, { status: 'accepted' }), 403);
    expectGlanceError(await glance(other.token, 'PUT', `/v2/images/${img.id}/members/${other.project}`, { status: 'maybe' }), 400);
    // openstacksdk sends the member's other attributes along; Glance reads only the status.
    const accepted = await glance(other.token, 'PUT', `/v2/images/${img.id}/members/${other.project}`, {
      status: 'accepted',
      member: other.project,
      image_id: img.id,
    });
    expect(accepted.body.status).toBe('accepted');
    expect(ids((await glance(other.token, 'GET', '/v2/images')).body)).toContain(img.id);
    expect(ids((await glance(third.token, 'GET', '/v2/images')).body)).not.toContain(img.id);
    // The owner sees every member, a member only itself.
    expect(
      (await glance(owner.token, 'GET', `/v2/images/${img.id}/members`)).body.members.map((m: { member_id: string }) => m.member_id).sort(),
    ).toEqual([other.project, third.project].sort());
    expect(
      (await glance(other.token, 'GET', `/v2/images/${img.id}/members`)).body.members.map((m: { member_id: string }) => m.member_id),
    ).toEqual([other.project]);
    expectGlanceError(await glance(other.token, 'GET', `/v2/images/${img.id}/members/${third.project}`), 404);
    // A member cannot change or delete the image.
    expectGlanceError(await patch(other.token, img.id, [{ op: 'replace', path: '/name', value: 'mine' }]), 403);
    expectGlanceError(await glance(other.token, 'DELETE', `/v2/images/${img.id}`), 403);
    expectGlanceError(await glance(other.token, 'DELETE', `/v2/images/${img.id}/members/${other.project}`), 403);
    // Rejected: gone from the list again; removed: gone altogether.
    await glance(other.token, 'PUT', `/v2/images/${img.id}/members/${other.project}`, { status: 'rejected' });
    expect(ids((await glance(other.token, 'GET', '/v2/images')).body)).not.toContain(img.id);
    expect((await glance(owner.token, 'DELETE', `/v2/images/${img.id}/members/${other.project}`)).status).toBe(204);
    expectGlanceError(await glance(other.token, 'GET', `/v2/images/${img.id}`), 404);
  });

  it('has members only on shared images; making it private hides it from its members', async () => {
    const owner = await imageProject('imso');
    const other = await imageProject('imsm');
    const img = await createImage(owner.token, { visibility: 'private' });
    expectGlanceError(await glance(owner.token, 'POST', `/v2/images/${img.id}/members`, { member: other.project }), 403, /shared/);
    await patch(owner.token, img.id, [{ op: 'replace', path: '/visibility', value: 'shared' }]);
    await glance(owner.token, 'POST', `/v2/images/${img.id}/members`, { member: other.project });
    await glance(other.token, 'PUT', `/v2/images/${img.id}/members/${other.project}`, { status: 'accepted' });
    expect(ids((await glance(other.token, 'GET', '/v2/images')).body)).toContain(img.id);
    await patch(owner.token, img.id, [{ op: 'replace', path: '/visibility', value: 'private' }]);
    expectGlanceError(await glance(other.token, 'GET', `/v2/images/${img.id}`), 404);
    expect(ids((await glance(other.token, 'GET', '/v2/images')).body)).not.toContain(img.id);
    expectGlanceError(await glance(owner.token, 'POST', `/v2/images/${img.id}/members`, { nope: 1 }), 400);
  });

  it('lists community images to every project that asks for them, and public ones (operators only) by default', async () => {
    const owner = await imageProject('imso');
    const other = await imageProject('imsm');
    const img = await createImage(owner.token, { visibility: 'community', name: 'comm' });
    expect(ids((await glance(other.token, 'GET', '/v2/images')).body)).not.toContain(img.id);
    expect(ids((await glance(other.token, 'GET', '/v2/images?visibility=community')).body)).toContain(img.id);
    expect((await glance(other.token, 'GET', `/v2/images/${img.id}`)).status).toBe(200);
    const op = await operatorAccount();
    const opToken = await tokenFor(op);
    const pub = await createImage(opToken, { visibility: 'public', name: `pub-${crypto.randomUUID()}` });
    expect(ids((await glance(other.token, 'GET', `/v2/images?name=${pub.name}`)).body)).toEqual([pub.id]);
    expect((await glance(other.token, 'GET', `/v2/images/${pub.id}`)).body.__imagetype).toBe('gold');
    await patch(opToken, pub.id, [{ op: 'replace', path: '/visibility', value: 'private' }]);
    expect(ids((await glance(other.token, 'GET', `/v2/images?name=${pub.name}`)).body)).toEqual([]);
    expect((await glance(opToken, 'DELETE', `/v2/images/${pub.id}`)).status).toBe(204);
    expect((await glance(owner.token, 'DELETE', `/v2/images/${img.id}`)).status).toBe(204);
    expectGlanceError(await glance(other.token, 'GET', `/v2/images/${img.id}`), 404);
  });

  it("keeps one project's member rows apart from another's image of the same id", async () => {
    const owner = await imageProject('imso');
    const member = await imageProject('imsm');
    const mimic = await imageProject('imsx');
    const img = await createImage(owner.token, { name: 'original' });
    await glance(owner.token, 'POST', `/v2/images/${img.id}/members`, { member: member.project });
    await glance(member.token, 'PUT', `/v2/images/${img.id}/members/${member.project}`, { status: 'accepted' });
    // Another project picks the same id for an image of its own, shares it with the same member, deletes it.
    const copy = await createImage(mimic.token, { id: img.id, name: 'mimic' });
    expect(copy.id).toBe(img.id);
    expect((await glance(mimic.token, 'POST', `/v2/images/${img.id}/members`, { member: member.project })).status).toBe(200);
    expect((await glance(mimic.token, 'DELETE', `/v2/images/${img.id}`)).status).toBe(204);
    expect((await glance(member.token, 'GET', `/v2/images/${img.id}`)).body).toMatchObject({ name: 'original', owner: owner.project });
    expect((await glance(owner.token, 'GET', `/v2/images/${img.id}/members`)).body.members).toMatchObject([
      { member_id: member.project, status: 'accepted' },
    ]);
    // A catalogue image's id cannot be taken.
    const pub = (await glance(owner.token, 'GET', '/v2/images?visibility=public')).body.images[0];
    expectGlanceError(await glance(owner.token, 'POST', '/v2/images', { id: pub.id }), 409, /already exists/);
  });
});
