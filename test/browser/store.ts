/**
 * The Cloud Store in a real browser (Debian's Chromium, headless, driven by playwright-core), against a running
 * `npm start` whose origin is the first argument: the home and a service page render with prices; the calculator
 * sums a known basket to the cent as the form changes (JavaScript) and by its form post (no JavaScript); an
 * automated accessibility check (axe-core) finds nothing serious on any of them. A screenshot of each page goes to
 * the folder named by the second argument.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { KNOWN_BASKET, KNOWN_TOTAL } from '../web/basket.ts';
import { accessible, check, expect, finish, launch } from './lib.ts';

const [origin, shots = '/tmp/fe-screens'] = process.argv.slice(2);
if (!origin) throw new Error('usage: node test/browser/store.ts <origin> [screenshot folder]');
mkdirSync(shots, { recursive: true });
// The known basket (shared with test/web/calculator.test.ts): the region is the form's first, eu-west-0.
const { region: _region, ...BASKET } = KNOWN_BASKET;
const TOTAL = KNOWN_TOTAL;

async function fill(page: Page) {
  for (const [name, value] of Object.entries(BASKET)) {
    const field = page.locator(`[name="${name}"]`);
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

async function main() {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await check('the Cloud Store home renders every service, accessibly', async () => {
      const res = await page.goto(`${origin}/store`);
      expect(res?.status() === 200, `status ${res?.status()}`);
      expect((await page.title()) === 'Services | Flexible Engine Cloud Store', await page.title());
      expect((await page.locator('ul.grid > li').count()) >= 26, 'fewer than 26 features');
      await page.screenshot({ path: join(shots, 'store-home.png'), fullPage: true });
      await accessible(page);
    });
    await check('a service page shows its prices per region, accessibly', async () => {
      await page.goto(`${origin}/store/services/evs`);
      expect(await page.getByRole('heading', { level: 1, name: 'Elastic Volume Service (EVS)' }).isVisible(), 'no heading');
      const row = page.locator('table', { hasText: 'Prices in eu-west-0' }).locator('tr', { hasText: 'SSD' });
      const cells = (await row.textContent()) ?? '';
      expect(cells.includes('€0.16 per GB-month'), cells);
      await page.screenshot({ path: join(shots, 'store-evs.png'), fullPage: true });
      await accessible(page);
    });
    await check('the calculator sums the known basket as the form changes (JavaScript)', async () => {
      await page.goto(`${origin}/store/calculator`);
      await fill(page);
      const total = page.locator('[data-total]');
      await total.filter({ hasText: TOTAL }).waitFor({ timeout: 5000 });
      await page.screenshot({ path: join(shots, 'store-calculator.png'), fullPage: true });
      await accessible(page);
    });
    await check('the calculator sums the same basket by its form post (no JavaScript)', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const plain = await context.newPage();
      await plain.goto(`${origin}/store/calculator`);
      await fill(plain);
      await Promise.all([plain.waitForURL(`${origin}/store/calculator`), plain.getByRole('button', { name: 'Estimate' }).click()]);
      const text = await plain.locator('[data-total]').textContent();
      expect(text === TOTAL, `total ${text}`);
      await plain.screenshot({ path: join(shots, 'store-calculator-nojs.png'), fullPage: true });
      await context.close();
    });
    await check('the support plans page, accessibly', async () => {
      await page.goto(`${origin}/store/support`);
      expect((await page.content()).includes('€100.00 per month'), 'no Standard price');
      await page.screenshot({ path: join(shots, 'store-support.png'), fullPage: true });
      await accessible(page);
    });
  } finally {
    await browser.close();
  }
  finish('the Cloud Store in Chromium');
}

await main();
