/** OBS listing: key order, prefixes and delimiters, paging (v1 marker, v2 tokens), URL encoding, consistency. */
import { describe, expect, it } from 'vitest';
import { createBucket, obsUser, put, s3, unescapeXml, xmlText, xmlTexts } from './fixtures.ts';

const KEYS = ['a.txt', 'b/1', 'b/2', 'b/c/3', 'c/1', 'c/2', 'd', 'é/x', 'z/deep/er/key'];

async function seeded() {
  const u = await obsUser();
  const b = await createBucket(u);
  await Promise.all(KEYS.map((k) => put(u, b, k, k)));
  return { u, b };
}

/** Pages through a listing, collecting keys and common prefixes. */
async function pageAll(u: Awaited<ReturnType<typeof obsUser>>, b: string, query: string, v2: boolean) {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let next = '';
  for (let i = 0; i < 50; i++) {
    const res = await s3(u, `/${b}?${v2 ? 'list-type=2&' : ''}${query}${next}`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    keys.push(...xmlTexts(xml, 'Key').map(unescapeXml));
    prefixes.push(...[...xml.matchAll(/<CommonPrefixes><Prefix>([^<]*)<\/Prefix><\/CommonPrefixes>/g)].map((m) => unescapeXml(m[1]!)));
    if (xmlText(xml, 'IsTruncated') !== 'true') return { keys, prefixes };
    if (v2) next = `&continuation-token=${encodeURIComponent(unescapeXml(xmlText(xml, 'NextContinuationToken')!))}`;
    else next = `&marker=${encodeURIComponent(unescapeXml(xmlText(xml, 'NextMarker') ?? xmlTexts(xml, 'Key').at(-1)!))}`;
  }
  throw new Error('listing did not end');
}

describe('listing', () => {
  it('lists every key in UTF-8 byte order, v1 and v2', async () => {
    const { u, b } = await seeded();
    for (const v2 of [false, true]) {
      const { keys } = await pageAll(u, b, '', v2);
      expect(keys).toEqual([...KEYS].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    }
  });

  it('rolls keys up into common prefixes with a delimiter, under a prefix', async () => {
    const { u, b } = await seeded();
    const top = await (await s3(u, `/${b}?list-type=2&delimiter=/`)).text();
    expect(xmlTexts(top, 'Key')).toEqual(['a.txt', 'd']);
    expect(xmlTexts(top, 'Prefix').slice(1).map(unescapeXml)).toEqual(
      ['b/', 'c/', 'z/', 'é/'].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
    );
    expect(xmlText(top, 'KeyCount')).toBe('6');
    const under = await (await s3(u, `/${b}?list-type=2&delimiter=/&prefix=b/`)).text();
    expect(xmlTexts(under, 'Key')).toEqual(['b/1', 'b/2']);
    expect(under).toContain('<CommonPrefixes><Prefix>b/c/</Prefix></CommonPrefixes>');
    const none = await (await s3(u, `/${b}?list-type=2&prefix=nothing`)).text();
    expect(xmlText(none, 'KeyCount')).toBe('0');
  });

  it('pages with max-keys: markers and tokens resume exactly, prefixes count as entries', async () => {
    const { u, b } = await seeded();
    for (const v2 of [false, true]) {
      const all = await pageAll(u, b, 'delimiter=/', v2);
      const paged = await pageAll(u, b, 'delimiter=/&max-keys=2', v2);
      expect(paged).toEqual(all);
      const flat = await pageAll(u, b, 'max-keys=1', v2);
      expect(flat.keys.length).toBe(KEYS.length);
    }
    const startAfter = await (await s3(u, `/${b}?list-type=2&start-after=c/1`)).text();
    expect(xmlTexts(startAfter, 'Key')[0]).toBe('c/2');
    const bad = await s3(u, `/${b}?list-type=2&continuation-token=%%%`);
    expect(bad.status).toBe(400);
    expect((await s3(u, `/${b}?max-keys=ten`)).status).toBe(400);
  });

  it('URL-encodes names with encoding-type=url', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'sp ace/ü&x', 'v');
    const xml = await (await s3(u, `/${b}?list-type=2&encoding-type=url`)).text();
    expect(xmlText(xml, 'EncodingType')).toBe('url');
    expect(decodeURIComponent(xmlText(xml, 'Key')!)).toBe('sp ace/ü&x');
    expect(xmlText(xml, 'Key')).not.toContain(' ');
  });

  it('lists a key exactly when a GET returns it, while keys are being written', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const writes = Promise.all(Array.from({ length: 40 }, (_, i) => put(u, b, `k/${String(i).padStart(3, '0')}`, `body ${i}`)));
    const seen = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const keys = xmlTexts(await (await s3(u, `/${b}?list-type=2`)).text(), 'Key');
      for (const k of keys) seen.add(k);
      const bodies = await Promise.all(keys.map(async (k) => [k, await (await s3(u, `/${b}/${k}`)).text()] as const));
      for (const [k, body] of bodies) expect(body).toBe(`body ${Number(k.slice(2))}`);
    }
    await writes;
    expect(xmlTexts(await (await s3(u, `/${b}?list-type=2`)).text(), 'Key').length).toBe(40);
  });

  it('never serves a mix of two bodies while a key is overwritten concurrently', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const size = 256 * 1024;
    await put(u, b, 'hot', 'a'.repeat(size));
    const writers = Promise.all(Array.from({ length: 8 }, (_, i) => put(u, b, 'hot', (i % 2 ? 'b' : 'c').repeat(size))));
    const reads = await Promise.all(Array.from({ length: 12 }, () => s3(u, `/${b}/hot`).then((r) => r.text())));
    await writers;
    for (const body of reads) {
      expect(body.length).toBe(size);
      expect(new Set(body).size).toBe(1);
    }
  });
});
