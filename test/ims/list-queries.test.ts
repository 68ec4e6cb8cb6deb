/** The query of the image list: filters on image fields (repeated or `in:` mean any of), limit and marker. */
import { describe, expect, it } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';

const names = (body: { images: { name: string }[] }) => body.images.map((i) => i.name);

describe('image list queries', () => {
  it('filters by field, any of repeated or in: values, and ignores parameters it does not read', async () => {
    const token = await tokenFor(await newAccount('imsq'));
    const all = (await send(token, 'GET', '/ims/v2/images')).body;
    expect(all.images.length).toBeGreaterThan(1);
    const [a, b] = names(all) as [string, string];
    expect(names((await send(token, 'GET', `/ims/v2/images?name=${encodeURIComponent(a)}`)).body)).toEqual([a]);
    const both = `/ims/v2/images?name=${encodeURIComponent(a)}&name=${encodeURIComponent(b)}`;
    expect(names((await send(token, 'GET', both)).body).sort()).toEqual([a, b].sort());
    expect(names((await send(token, 'GET', `/ims/v2/images?name=in:${encodeURIComponent(`${a},${b}`)}`)).body).sort()).toEqual(
      [a, b].sort(),
    );
    expect((await send(token, 'GET', '/ims/v2/images?bogus=1&sort_key=nope&owner=x&member_status=all')).body).toEqual(all);
  });

  it('pages by limit and marker; an unknown marker is a 400, a limit that is not a number an empty page', async () => {
    const token = await tokenFor(await newAccount('imsq'));
    const all = (await send(token, 'GET', '/ims/v2/images')).body.images;
    const first = (await send(token, 'GET', '/ims/v2/images?limit=1')).body;
    expect(first.images).toEqual([all[0]]);
    expect(first.next).toBe(`/ims/v2/images?limit=1&marker=${all[0].id}`);
    expect((await send(token, 'GET', `/ims/v2/images?marker=${all[0].id}`)).body.images).toEqual(all.slice(1));
    const missing = await send(token, 'GET', '/ims/v2/images?marker=nope');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('marker nope could not be found.');
    const nan = await send(token, 'GET', '/ims/v2/images?limit=abc');
    expect(nan.status).toBe(200);
    expect(nan.body.images).toEqual([]);
    expect(nan.body.next).toBeUndefined();
    expect((await send(token, 'GET', '/ims/v2/images?limit=')).body.images).toEqual(all);
  });
});
