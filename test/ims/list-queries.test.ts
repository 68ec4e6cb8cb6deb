/** Glance's list query: filters (repeated or `in:` mean any of), tags, sizes, times, sorting, paging with `next`. */
import { describe, expect, it } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { createImage, expectGlanceError, glance, imageProject } from './fixtures.ts';

const names = (body: { images: { name: string }[] }) => body.images.map((i) => i.name);

describe('image list queries', () => {
  it('filters by field, any of repeated or in: values', async () => {
    const token = await tokenFor(await newAccount('imsq'));
    const all = (await glance(token, 'GET', '/v2/images?visibility=public&sort=name:asc')).body;
    expect(all.images.length).toBeGreaterThan(1);
    const [a, b] = names(all) as [string, string];
    expect(names((await glance(token, 'GET', `/v2/images?name=${encodeURIComponent(a)}`)).body)).toEqual([a]);
    const both = `/v2/images?name=${encodeURIComponent(a)}&name=${encodeURIComponent(b)}&sort_key=name&sort_dir=asc`;
    expect(names((await glance(token, 'GET', both)).body)).toEqual([a, b]);
    expect(names((await glance(token, 'GET', `/v2/images?sort=name:asc&name=in:${encodeURIComponent(`${a},${b}`)}`)).body)).toEqual([a, b]);
    expect((await glance(token, 'GET', '/v2/images?owner=nobody')).body.images).toEqual([]);
  });

  it('filters own images by tag (all of), size, property and time; sorts; pages with next', async () => {
    const { token } = await imageProject('imsq');
    const x = await createImage(token, { name: 'x', tags: ['a', 'b'], color: 'red' });
    await createImage(token, { name: 'y', tags: ['a'], min_ram: 5 });
    await createImage(token, { name: 'z', os_hidden: true });
    const own = '/v2/images?visibility=shared';
    expect(names((await glance(token, 'GET', `${own}&tag=a&tag=b`)).body)).toEqual(['x']);
    expect(names((await glance(token, 'GET', `${own}&color=red`)).body)).toEqual(['x']);
    expect(names((await glance(token, 'GET', `${own}&sort=name:asc`)).body)).toEqual(['x', 'y']);
    expect(names((await glance(token, 'GET', `${own}&os_hidden=true`)).body)).toEqual(['z']);
    expect(names((await glance(token, 'GET', `${own}&created_at=gte:${x.created_at}&sort=name:desc`)).body)).toEqual(['y', 'x']);
    expect(names((await glance(token, 'GET', `${own}&created_at=lt:2000-01-01T00:00:00Z`)).body)).toEqual([]);
    expect(names((await glance(token, 'GET', `${own}&min_ram=5`)).body)).toEqual(['y']);
    const first = (await glance(token, 'GET', `${own}&sort=name:asc&limit=1`)).body;
    expect(names(first)).toEqual(['x']);
    expect(first.next).toBe(`/v2/images?visibility=shared&sort=name%3Aasc&limit=1&marker=${x.id}`);
    const second = (await glance(token, 'GET', first.next)).body;
    expect(names(second)).toEqual(['y']);
    expect(second.next).toBeUndefined();
  });

  it('refuses what Glance refuses with a 400', async () => {
    const token = await tokenFor(await newAccount('imsq'));
    for (const q of [
      'marker=nope',
      'limit=abc',
      'limit=-1',
      'sort_key=nope',
      'sort_dir=up',
      'sort=name:up',
      'sort=name&sort_key=id',
      'visibility=x',
      'member_status=x',
      'created_at=gt:never',
      'size_min=x',
      'os_hidden=maybe',
    ])
      expectGlanceError(await glance(token, 'GET', `/v2/images?${q}`), 400);
    expect((await glance(token, 'GET', '/v2/images?limit=')).status).toBe(200);
  });
});
