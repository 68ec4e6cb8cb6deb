/**
 * The web: the Cloud Store's time to first byte against the no-op route (a page the edge cache holds, the home
 * and the calculator, and one it cannot: a service page with a query no request repeated, so rendered every
 * time), a signed-in Console page, and the weight of the script each Console page loads, raw and compressed.
 */
import { gzipSync } from 'node:zlib';
import { accounts, type BenchCloud, ok } from './cloud.ts';
import type { Plan } from './harness.ts';

/** Signs in through the Console's form; answers the session cookie. */
async function consoleSession(cloud: BenchCloud): Promise<string> {
  const [a] = await accounts(cloud, [`web-${Date.now().toString(36)}`]);
  const res = await fetch(`${cloud.url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: cloud.url },
    body: new URLSearchParams({ account: a!.domain, user: a!.user, password: a!.password }),
  });
  const cookie = res.headers.getSetCookie().find((l) => l.startsWith('fe_session='));
  if (res.status !== 303 || !cookie) throw new Error(`Console sign-in: ${res.status}`);
  return cookie.split(';')[0]!;
}

export async function webPlan(cloud: BenchCloud, concurrency: number): Promise<Plan> {
  // The first requests fill the cache (and the price list's isolate cache).
  for (const path of ['/store', '/store/calculator', '/store/services/evs']) await ok(await fetch(`${cloud.url}${path}`));
  const cookie = await consoleSession(cloud);
  let n = 0;
  return [
    ['no-op, unauthenticated (GET /healthz)', async () => ok(await fetch(`${cloud.url}/healthz`)), concurrency],
    ['Cloud Store home, cached (GET /store)', async () => ok(await fetch(`${cloud.url}/store`)), concurrency],
    ['price calculator, cached (GET /store/calculator)', async () => ok(await fetch(`${cloud.url}/store/calculator`)), concurrency],
    [
      'service page, rendered each time (GET /store/services/evs?n=...)',
      async () => ok(await fetch(`${cloud.url}/store/services/evs?n=${n++}`)),
      concurrency,
    ],
    [
      'Console overview, signed in (GET /console)',
      async () => ok(await fetch(`${cloud.url}/console`, { headers: { Cookie: cookie } })),
      concurrency,
    ],
  ];
}

/** The Console's pages to weigh: the overview and each section's pages linked from its navigation. */
async function consolePages(cloud: BenchCloud, cookie: string): Promise<string[]> {
  const html = await (await fetch(`${cloud.url}/console`, { headers: { Cookie: cookie } })).text();
  const nav = /<nav aria-label="Services">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  const links = [...nav.matchAll(/href="(\/console[^"]*)"/g)].map((m) => m[1]!);
  return [...new Set(['/console', ...links])];
}

/** A bucket's object browser (the page with the upload script), of a bucket made for it through the Console. */
async function bucketPage(cloud: BenchCloud, cookie: string): Promise<string> {
  const html = await (await fetch(`${cloud.url}/console/obs/buckets`, { headers: { Cookie: cookie } })).text();
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
  const name = `weigh-${Date.now().toString(36)}`;
  const res = await fetch(`${cloud.url}/console/obs/buckets`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: cookie, Origin: cloud.url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, name, region: 'eu-west-0', acl: 'private' }),
  });
  if (res.status !== 303) throw new Error(`Console bucket create: ${res.status}`);
  return `/console/obs/buckets/${name}`;
}

/** A markdown table: each Console page's scripts, their bytes raw and gzip-compressed (the limit is 100 KB compressed). */
export async function consoleScriptWeights(cloud: BenchCloud): Promise<string> {
  const cookie = await consoleSession(cloud);
  const rows: string[] = [];
  for (const page of [...(await consolePages(cloud, cookie)), await bucketPage(cloud, cookie)]) {
    const html = await (await fetch(`${cloud.url}${page}`, { headers: { Cookie: cookie } })).text();
    const srcs = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    let raw = 0;
    let gz = 0;
    for (const src of srcs) {
      const body = Buffer.from(await (await fetch(`${cloud.url}${src}`)).arrayBuffer());
      raw += body.length;
      gz += gzipSync(body).length;
    }
    const names = srcs.map((s) => s.replace(/^\/console\/assets\/|\?.*$/g, '')).join(', ');
    rows.push(`| ${page} | ${names || 'none'} | ${raw.toLocaleString('en')} | ${gz.toLocaleString('en')} |`);
  }
  return ['| page | scripts | bytes | gzip bytes |', '|---|---|---:|---:|', ...rows].join('\n');
}
