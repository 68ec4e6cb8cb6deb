/**
 * The members limit of a shared image holds under concurrency (issue 17): the count and the insert are one
 * statement in the directory, so parallel adds past the limit make exactly the room left, the others 413.
 */
import { describe, expect, it } from 'vitest';
import { MEMBER_QUOTA } from '../../workers/ims/usecases/members.ts';
import { createImage, glance, imageProject } from './fixtures.ts';

describe('image member limit', () => {
  it('makes exactly the room left out of parallel adds, and a member added twice is still a 409', async () => {
    const owner = await imageProject('imq');
    const img = await createImage(owner.token, { name: 'many' });
    const add = (member: string) => glance(owner.token, 'POST', `/v2/images/${img.id}/members`, { member });
    const first = MEMBER_QUOTA - 8;
    const made = await Promise.all(Array.from({ length: first }, (_, i) => add(`p-${i}`)));
    expect(made.filter((r) => r.status === 200)).toHaveLength(first);
    const race = await Promise.all(Array.from({ length: 20 }, (_, i) => add(`q-${i}`)));
    expect(race.map((r) => r.status).sort()).toEqual([...Array(8).fill(200), ...Array(12).fill(413)]);
    const listed = (await glance(owner.token, 'GET', `/v2/images/${img.id}/members`)).body.members;
    expect(listed).toHaveLength(MEMBER_QUOTA);
    expect((await add('p-0')).status).toBe(409);
    expect((await add('r-0')).status).toBe(413);
  });
});
