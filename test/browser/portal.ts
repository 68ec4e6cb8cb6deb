/**
 * The Customer Portal in a real browser (Debian's Chromium, headless, driven by playwright-core), against a
 * running `npm start` whose origin is the first argument, signed in as the demo account's user (its password the
 * third argument, or FE_DEMO_PASSWORD): the profile; a user created by its form; a group; a custom
 * policy; an access key whose secret is shown once; a wrong old password shown next to its field; the Console's
 * IAM section. An automated accessibility check (axe-core) finds nothing serious on any page, and a screenshot of
 * each goes to the folder named by the second argument.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { accessible, check, expect, finish, launch } from './lib.ts';

const [origin, shots = '/tmp/fe-screens', given = process.env.FE_DEMO_PASSWORD] = process.argv.slice(2);
if (!origin || !given) throw new Error('usage: node test/browser/portal.ts <origin> <screenshot folder> <demo password>');
const password: string = given;
const account = 'demo';
const user = 'demo';
mkdirSync(shots, { recursive: true });

/** Looks at a page: its screenshot, then the accessibility check. */
async function look(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  await accessible(page);
}

async function main() {
  const browser: Browser = await launch();
  const stamp = Date.now().toString(36);
  try {
    const page = await browser.newPage();
    await check('signs in and shows the profile', async () => {
      await page.goto(`${origin}/store/portal`);
      await page.getByLabel('Account name').fill(account);
      await page.getByLabel('User name').fill(user);
      await page.getByLabel('Password').fill(password);
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
  finish('portal');
}

await main();
