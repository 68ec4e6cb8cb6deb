/**
 * The Cloud Store's public pages: every feature of the Service Description and the support plans, their prices
 * from the directory's price list, cacheable, with titles and descriptions, a sitemap and robots rules.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import features from '../../seed/features.json';
import { operatorAccount } from '../fixtures.ts';
import { call } from '../request.ts';

async function page(path: string) {
  const res = await call(path);
  return { status: res.status, headers: res.headers, html: await res.text() };
}

describe('the Cloud Store', () => {
  // The directory's catalogue and price list are seeded by the first start's bootstrap.
  beforeAll(() => operatorAccount());

  it('serves a home page listing every service feature of clause 1.2.3 and the four support plans', async () => {
    const home = await page('/store');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    expect(home.html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(home.html).toContain('<title>Services | Flexible Engine Cloud Store</title>');
    expect(home.html).toMatch(/<meta name="description" content="[^"]{20,}"/);
    for (const f of features.features) expect(home.html).toContain(`href="/store/services/${f.slug}"`);
    expect(features.features).toHaveLength(26);
    for (const p of ['Basic', 'Standard', 'Business', 'Premium']) expect(home.html).toContain(`>${p}</a>`);
    expect(home.headers.get('cache-control')).toMatch(/public, max-age=300/);
  });

  it("shows a feature's text from the Service Description and its prices per region", async () => {
    const evs = await page('/store/services/evs');
    expect(evs.status).toBe(200);
    expect(evs.html).toContain('Elastic Volume Service (EVS)');
    expect(evs.html).toContain('Block storage must always be associated with a Virtual Machine.');
    expect(evs.html).toContain('<caption>Prices in eu-west-0</caption>');
    expect(evs.html).toMatch(/<th scope="row">SSD<\/th><td class="num">€0\.16 per GB-month<\/td>/);
    expect(evs.html).toContain('Available');
    // Each product's prices say since when they apply (clause 1.4 dates every revision of the Charges).
    expect(evs.html).toContain('<th scope="col">Effective from</th>');
    const effective = /<th scope="row">SSD<\/th>.*?<time datetime="([^"]+)">([^<]+)<\/time>/.exec(evs.html);
    expect(effective, 'no effective date on the SSD line').not.toBeNull();
    expect(new Date(effective![1]!).getTime()).toBeLessThanOrEqual(Date.now());
    expect(effective![2]).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    const ecs = await page('/store/services/ecs');
    expect(ecs.html).toContain('Reserved 3 years, upfront');
    expect(ecs.html).toMatch(/<th scope="row">s3\.small\.1<\/th><td class="num">€0\.0265 per hour<\/td>/);
    const mrs = await page('/store/services/mrs');
    expect(mrs.html).toContain('Not offered yet');
    expect(mrs.html).toContain('This feature has no price of its own in the price list.');
  });

  it('shows the support plans with their rules and monthly prices', async () => {
    const support = await page('/store/support');
    expect(support.html).toContain('€100.00 per month');
    expect(support.html).toContain('No additional charge');
    expect(support.html).toContain('minimum of six months');
  });

  it('answers an unknown feature with a 404 page, and / with the store', async () => {
    const missing = await page('/store/services/teleportation');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('<h1>Page not found</h1>');
    const root = await call('/', { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/store');
  });

  it('publishes a sitemap of every public page and robots rules that point to it', async () => {
    const map = await page('/sitemap.xml');
    expect(map.headers.get('content-type')).toMatch(/xml/);
    expect(map.html.match(/<loc>/g)).toHaveLength(29);
    expect(map.html).toContain('<loc>http://cloud.test/store/services/vbs</loc>');
    const robots = await page('/robots.txt');
    expect(robots.html).toContain('Sitemap: http://cloud.test/sitemap.xml');
  });
});
