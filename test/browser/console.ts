/**
 * The Console in a real browser (Debian's Chromium, headless, driven by playwright-core) against a running
 * `npm start`: arguments are the origin, the screenshot folder, and the demo account's password. A wrong password
 * shows its error; sign-in opens the overview; a form posted from another site is refused and changes nothing; a
 * VPC and subnet are created, then a server that reaches ACTIVE on screen without a reload, an EIP bound to it, its
 * workload set and its CPU charted in Cloud Eye, a 20 MiB file uploaded to OBS in parts and downloaded byte-identical; everything is
 * deleted; sign-out ends it; axe-core finds nothing serious on any page. A screenshot of each page is saved.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { accessible, check, expect, finish, launch } from './lib.ts';

const [origin, shots = '/tmp/fe-screens', given = process.env.FE_DEMO_PASSWORD] = process.argv.slice(2);
if (!origin || !given) throw new Error('usage: node test/browser/console.ts <origin> <screenshot folder> <demo password>');
const password: string = given;
mkdirSync(shots, { recursive: true });

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
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
    const context = await browser.newContext();
    const page = await context.newPage();
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
    await check('creates a server and follows its status live: ACTIVE, stopped and started elsewhere, without a reload', async () => {
      await page.goto(`${origin}/console/ecs/servers/new`);
      const wizard = page.getByRole('form', { name: 'Create a server' });
      await wizard.getByLabel('Name', { exact: true }).fill('web-server');
      await wizard.locator('[name="flavor"]').selectOption('s3.small.1');
      await wizard.locator('[name="image"]').selectOption({ index: 1 });
      const subnet = wizard.locator('[name="subnet"] option', { hasText: 'web-subnet' });
      await wizard.locator('[name="subnet"]').selectOption((await subnet.getAttribute('value')) ?? '');
      await wizard.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL(`${origin}/console/ecs/servers`);
      // A mark on this very document: a reload would lose it.
      await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
      const row = page.locator('tr', { hasText: 'web-server' });
      // The simulated hosts build in well under a second, so the page may first show BUILD or already ACTIVE.
      await row.locator('[data-status="ACTIVE"]').waitFor({ timeout: 60_000 });
      // Changes made elsewhere (another tab) appear here too: stop it there, see SHUTOFF here; start it, ACTIVE.
      const other = await page.context().newPage();
      for (const [button, status] of [
        ['Stop web-server', 'SHUTOFF'],
        ['Start web-server', 'ACTIVE'],
      ] as const) {
        await other.goto(`${origin}/console/ecs/servers`);
        await other.getByRole('button', { name: button }).click();
        await other.waitForLoadState();
        await row.locator(`[data-status="${status}"]`).waitFor({ timeout: 40_000 });
      }
      await other.close();
      expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument === true), 'the page was reloaded');
      await shot(page, 'servers');
      await accessible(page);
    });
    await check('allocates an EIP and binds it to the server', async () => {
      await page.goto(`${origin}/console/eip/eips`);
      await page.getByRole('button', { name: 'Allocate EIP' }).click();
      await page.waitForLoadState();
      await page.getByRole('link', { name: /Bind/ }).first().click();
      const nic = page.locator('[name="port_id"] option', { hasText: 'web-server' });
      await page.locator('[name="port_id"]').selectOption((await nic.getAttribute('value')) ?? '');
      await page.getByRole('button', { name: 'Bind' }).click();
      await page.waitForURL(`${origin}/console/eip/eips`);
      await page.locator('tr', { hasText: 'web-server' }).locator('[data-status="BOUND"]').waitFor({ timeout: 15_000 });
      await shot(page, 'eips');
      await accessible(page);
    });
    await check("sets the server's workload, charts its CPU in Cloud Eye once its host reports it, and lists the alarm rules", async () => {
      await page.goto(`${origin}/console/ces/workloads`);
      const workload = page.getByRole('form', { name: 'Set a workload' });
      const choice = workload.locator('[name="server"] option', { hasText: 'web-server' });
      await workload.locator('[name="server"]').selectOption((await choice.getAttribute('value')) ?? '');
      await workload.getByLabel('Level (%)', { exact: true }).fill('60');
      await workload.getByRole('button', { name: 'Set workload' }).click();
      await page.waitForURL(`${origin}/console/ces/workloads`);
      expect((await page.locator('tr', { hasText: 'web-server' }).textContent())?.includes('constant 60 %') === true, 'not set');
      await shot(page, 'ces-workloads');
      await accessible(page);
      // The host's agent reports every minute: the metric appears within one.
      const metric = page.getByRole('link', { name: 'cpu_util' });
      for (let i = 0; i < 30 && !(await metric.isVisible()); i++) {
        await page.goto(`${origin}/console/ces/metrics`);
        if (!(await metric.isVisible())) await page.waitForTimeout(3000);
      }
      await metric.click();
      await page.waitForLoadState();
      const chart = page.getByRole('img', { name: /cpu_util/ });
      expect(await chart.isVisible(), 'no chart');
      expect((await page.locator('svg circle').count()) > 0, 'no datapoint in the chart');
      await shot(page, 'ces-chart');
      await accessible(page);
      await page.getByRole('link', { name: 'Alarm rules' }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('table', { name: 'Alarm rules' }).isVisible(), 'no alarm table');
      await shot(page, 'ces-alarms');
      await accessible(page);
    });
    const bucket = `web-${Date.now().toString(36)}`;
    await check('uploads a 20 MiB file to OBS in parts with progress, and downloads it byte-identical', async () => {
      await page.goto(`${origin}/console/obs/buckets`);
      await page.getByLabel('Bucket name').fill(bucket);
      await page.getByRole('button', { name: 'Create bucket' }).click();
      await page.getByRole('link', { name: bucket, exact: true }).click();
      const bytes = randomBytes(20 * 1024 * 1024);
      const file = join(shots, 'upload-20MiB.bin');
      writeFileSync(file, bytes);
      await page.locator('#file').setInputFiles(file);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.locator('#upload-progress-box').waitFor({ state: 'visible', timeout: 10_000 });
      await shot(page, 'obs-uploading');
      await page.getByRole('link', { name: 'Download upload-20MiB.bin' }).waitFor({ timeout: 120_000 });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download upload-20MiB.bin' }).click(),
      ]);
      const back = readFileSync(await download.path());
      expect(back.length === bytes.length, `downloaded ${back.length} bytes`);
      expect(sha256(back) === sha256(bytes), 'the downloaded bytes differ');
      rmSync(file);
      await shot(page, 'obs-objects');
      await accessible(page);
    });
    await check('deletes everything: the object, the bucket, the server with its EIP, the subnet, the VPC', async () => {
      await page.goto(`${origin}/console/obs/buckets/${bucket}`);
      await page.getByRole('button', { name: 'Delete upload-20MiB.bin' }).click();
      await page.waitForLoadState();
      await page.goto(`${origin}/console/obs/buckets`);
      await page.getByRole('button', { name: `Delete bucket ${bucket}` }).click();
      await page.waitForLoadState();
      expect((await page.getByRole('link', { name: bucket, exact: true }).count()) === 0, 'the bucket is still listed');
      await page.goto(`${origin}/console/ecs/servers`);
      await page.getByRole('link', { name: 'web-server' }).click();
      const del = page.getByRole('form', { name: 'Delete the server' });
      await del.getByLabel('Release its EIPs too').check();
      await del.getByRole('button', { name: 'Delete the server' }).click();
      await page.waitForURL(`${origin}/console/ecs/servers`);
      await page.locator('tr', { hasText: 'web-server' }).waitFor({ state: 'detached', timeout: 60_000 });
      await page.goto(`${origin}/console/eip/eips`);
      expect((await page.locator('tr', { hasText: 'web-server' }).count()) === 0, 'the EIP is still bound');
      await page.goto(`${origin}/console/vpc/vpcs`);
      await page.getByRole('link', { name: 'web-vpc' }).click();
      await page
        .locator('tr', { hasText: 'web-subnet' })
        .getByRole('button', { name: /Delete/ })
        .click();
      await page.locator('tr', { hasText: 'web-subnet' }).waitFor({ state: 'detached', timeout: 30_000 });
      await page.getByRole('button', { name: 'Delete VPC web-vpc' }).click();
      await page.waitForURL(`${origin}/console/vpc/vpcs`);
      expect((await page.getByRole('link', { name: 'web-vpc' }).count()) === 0, 'the VPC is still listed');
      await shot(page, 'deleted');
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
