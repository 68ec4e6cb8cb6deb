/**
 * The Customer Portal in a real browser (Debian's Chromium, headless, driven by playwright-core), against a
 * running `npm start` whose origin is the first argument, signed in as the account and user given by the next
 * two arguments with the password in FE_PASSWORD: the profile; a user created by its form; a group; a custom
 * policy; an access key whose secret is shown once; a wrong old password shown next to its field; the Console's
 * IAM section. An automated accessibility check (axe-core) finds nothing serious on any page, and a screenshot of
 * each goes to the folder named by the fourth argument.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const [origin, account, user, shots = '/tmp/fe-screens'] = process.argv.slice(2);
const password = process.env.FE_PASSWORD;
if (!origin || !account || !user || !password)
  throw new Error('usage: FE_PASSWORD=... node test/browser/portal.ts <origin> <account> <user> [screenshot folder]');
mkdirSync(shots, { recursive: true });
const axeSource: string = createRequire(import.meta.url)('axe-core').source;

let passed = 0;
let failed = 0;
async function check(name: string, body: () => Promise<void>) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
function expect(cond: boolean, what: string) {
  if (!cond) throw new Error(what);
}

/** No serious or critical finding of axe-core's checks (WCAG 2.1 A and AA) on the page as it is now. */
async function accessible(page: Page) {
  await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    const r = await (
      globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }
    ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.length === 0, `axe-core: ${JSON.stringify(serious)}`);
}

/** Looks at a page: its screenshot, then the accessibility check. */
async function look(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  await accessible(page);
}

async function main() {
  const browser: Browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const stamp = Date.now().toString(36);
  try {
    // The pages' Content-Security-Policy refuses inline scripts, axe-core's injection too: the test bypasses it.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await check('signs in and shows the profile', async () => {
      await page.goto(`${origin}/store/portal`);
      await page.getByLabel('Account name').fill(account!);
      await page.getByLabel('User name').fill(user!);
      await page.getByLabel('Password').fill(password!);
      await Promise.all([page.waitForURL(`${origin}/store/portal`), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(await page.getByRole('heading', { level: 1, name: 'Profile' }).isVisible(), 'no Profile heading');
      expect((await page.content()).includes(`<dd>${account}</dd>`), 'no account name');
      await look(page, 'portal-profile');
    });
    await check('creates a user by its form', async () => {
      await page.goto(`${origin}/store/portal/users`);
      await page.getByLabel('User name').fill(`browser-${stamp}`);
      await page.getByLabel('Email').fill('browser@example.com');
      await Promise.all([page.waitForURL(`${origin}/store/portal/users`), page.getByRole('button', { name: 'Create user' }).click()]);
      expect(await page.getByRole('link', { name: `browser-${stamp}` }).isVisible(), 'the new user is not listed');
      await look(page, 'portal-users');
      await page.getByRole('link', { name: `browser-${stamp}` }).click();
      await look(page, 'portal-user');
    });
    await check('creates a group and a custom policy', async () => {
      await page.goto(`${origin}/store/portal/groups`);
      await page.getByLabel('Group name').fill(`group-${stamp}`);
      await Promise.all([page.waitForURL(`${origin}/store/portal/groups`), page.getByRole('button', { name: 'Create group' }).click()]);
      await page.getByRole('link', { name: `group-${stamp}` }).click();
      await look(page, 'portal-group');
      await page.goto(`${origin}/store/portal/policies`);
      await page.getByLabel('Policy name').fill(`policy-${stamp}`);
      await Promise.all([page.waitForURL(`${origin}/store/portal/policies`), page.getByRole('button', { name: 'Create policy' }).click()]);
      expect((await page.content()).includes(`policy-${stamp}`), 'the new policy is not listed');
      await look(page, 'portal-policies');
    });
    await check('creates an access key and shows its secret once', async () => {
      await page.goto(`${origin}/store/portal/credentials`);
      // A run that failed half-way may have left its key (a user has two at most): it goes first.
      for (const left of await page.locator('tr', { hasText: /key-\w+/ }).all())
        await Promise.all([page.waitForURL(`${origin}/store/portal/credentials`), left.getByRole('button', { name: /Delete/ }).click()]);
      await page.getByLabel('Description').fill(`key-${stamp}`);
      await page.getByRole('button', { name: 'Create access key' }).click();
      await page.getByRole('heading', { level: 1, name: 'Access key created' }).waitFor({ timeout: 5000 });
      const secret = (await page.locator('dd code').nth(1).textContent()) ?? '';
      expect(secret.length >= 30, `secret ${secret}`);
      await look(page, 'portal-key-created');
      await page.goto(`${origin}/store/portal/credentials`);
      expect(!(await page.content()).includes(secret), 'the secret is shown again');
      await look(page, 'portal-keys');
      // Leave the account as it was: the key is deleted again.
      const row = page.locator('tr', { hasText: `key-${stamp}` });
      await Promise.all([page.waitForURL(`${origin}/store/portal/credentials`), row.getByRole('button', { name: /Delete/ }).click()]);
    });
    await check('shows a wrong old password next to its field', async () => {
      await page.goto(`${origin}/store/portal/password`);
      await page.getByLabel('Current password').fill('not-my-password');
      await page.getByLabel('New password', { exact: true }).fill('Whatever-pass-123');
      await page.getByLabel('New password again').fill('Whatever-pass-123');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.locator('#original-error').waitFor();
      expect((await page.locator('#original-error').textContent()) === 'The original password is incorrect.', 'no error next to the field');
      await look(page, 'portal-password-wrong');
    });
    await check("shows the same pages in the Console's IAM section", async () => {
      await page.goto(`${origin}/console/iam/users`);
      expect(await page.getByRole('link', { name: `browser-${stamp}` }).isVisible(), 'the user is not listed in the Console');
      await look(page, 'console-iam-users');
    });
  } finally {
    await browser.close();
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

await main();
