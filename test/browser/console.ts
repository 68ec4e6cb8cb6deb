/**
 * The Console in a real browser (Debian's Chromium, headless, driven by playwright-core) against a running
 * `npm start`: arguments are the origin, the screenshot folder, and the demo account's password. A wrong password
 * shows its error; sign-in opens the overview; a form posted from another site is refused and changes nothing;
 * sign-out ends the session; axe-core finds nothing serious on any page. A screenshot of each page is saved.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { accessible, check, expect, finish, launch } from './lib.ts';

const [origin, shots = '/tmp/fe-screens', given = process.env.FE_DEMO_PASSWORD] = process.argv.slice(2);
if (!origin || !given) throw new Error('usage: node test/browser/console.ts <origin> <screenshot folder> <demo password>');
const password: string = given;
mkdirSync(shots, { recursive: true });

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `console-${name}.png`), fullPage: true });

async function signIn(page: Page, pass: string) {
  await page.goto(`${origin}/console`);
  await page.getByLabel('Account name').fill('demo');
  await page.getByLabel('User name').fill('demo');
  await page.getByLabel('Password').fill(pass);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
}

async function main() {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await check('a wrong password shows an error on the sign-in form', async () => {
      await signIn(page, 'not-the-password');
      const alert = page.getByRole('alert');
      expect((await alert.textContent())?.includes('password is wrong') === true, `alert: ${await alert.textContent()}`);
      expect(new URL(page.url()).pathname === '/console/sign-in', page.url());
      await shot(page, 'sign-in-refused');
      await accessible(page);
    });
    await check('signs in to the overview of the demo account', async () => {
      await signIn(page, password);
      expect(new URL(page.url()).pathname === '/console', page.url());
      expect(await page.getByRole('heading', { level: 1, name: 'Overview' }).isVisible(), 'no overview');
      expect((await page.locator('dl.facts').textContent())?.includes('demo') === true, 'not the demo account');
      await shot(page, 'overview');
      await accessible(page);
    });
    await check('refuses a form posted from another site, and the session is as it was', async () => {
      // A page of another origin that posts the region switch to the Console (the classic cross-site request forgery).
      const evil = await browser.newPage();
      await evil.route('http://evil.test/**', (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: `<form method="post" action="${origin}/console/region"><input name="region" value="eu-west-1"><button>go</button></form>`,
        }),
      );
      await evil.goto('http://evil.test/');
      const [answer] = await Promise.all([evil.waitForNavigation(), evil.getByRole('button', { name: 'go' }).click()]);
      const status = answer?.status() ?? 0;
      expect(status === 401 || status === 403, `the forged post was answered ${status}`);
      await shot(evil, 'forged-post');
      await evil.close();
      await page.goto(`${origin}/console`);
      expect((await page.locator('dl.facts').textContent())?.includes('eu-west-0') === true, 'the region changed');
    });
    await check('creates a VPC and a subnet in it, accessibly', async () => {
      await page.goto(`${origin}/console/vpc/vpcs`);
      const vpcForm = page.getByRole('form', { name: 'Create a VPC' });
      await vpcForm.getByLabel('Name').fill('web-vpc');
      await vpcForm.getByLabel('CIDR block').fill('192.168.0.0/16');
      await vpcForm.getByRole('button', { name: 'Create VPC' }).click();
      await page.waitForURL(/\/console\/vpc\/vpcs\/[0-9a-f-]{36}$/);
      const subnetForm = page.getByRole('form', { name: 'Add a subnet' });
      await subnetForm.getByLabel('Name').fill('web-subnet');
      await subnetForm.getByLabel('CIDR block').fill('192.168.1.0/24');
      await subnetForm.getByRole('button', { name: 'Create subnet' }).click();
      await page.waitForLoadState();
      const row = page.locator('tr', { hasText: 'web-subnet' });
      await row.locator('[data-status="ACTIVE"]').waitFor({ timeout: 15_000 });
      await shot(page, 'vpc');
      await accessible(page);
    });
    await check('signs out: the Console asks to sign in again', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${origin}/console/sign-in`);
      await page.goto(`${origin}/console`);
      expect(new URL(page.url()).pathname === '/console/sign-in', `after sign-out: ${page.url()}`);
      await shot(page, 'signed-out');
    });
  } finally {
    await browser.close();
  }
  finish('the Console in Chromium');
}

await main();
