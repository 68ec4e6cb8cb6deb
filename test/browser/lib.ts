/**
 * What the browser tests share: Debian's Chromium launched headless through playwright-core, named checks that
 * count passes and failures, and the automated accessibility check (axe-core, WCAG 2.1 A and AA).
 */
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';

const axeSource: string = createRequire(import.meta.url)('axe-core').source;

let passed = 0;
let failed = 0;

/** Runs one named check; a failure is counted and printed, and the next check runs. */
export async function check(name: string, body: () => Promise<void>) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Fails the check in progress unless the condition holds. */
export function expect(cond: boolean, what: string): asserts cond {
  if (!cond) throw new Error(what);
}

/** No serious or critical finding of axe-core's checks (WCAG 2.1 A and AA) on the page as it is now. */
export async function accessible(page: Page) {
  // Evaluated through the DevTools protocol, which a page's Content-Security-Policy does not govern (a script tag it would).
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await (
      globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }
    ).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.length === 0, `axe-core: ${JSON.stringify(serious)}`);
}

/** Launches Debian's Chromium (CHROMIUM overrides the path) headless. */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
}

/** Prints the tally and exits non-zero when a check failed. */
export function finish(suite: string): never {
  console.log(`${suite}: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
