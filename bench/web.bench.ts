/**
 * The Cloud Store's time to first byte, against the no-op route: a page the edge cache holds (the home, the
 * calculator) and one it cannot (a service page with a query no request repeated, so rendered every time).
 */
import { type BenchCloud, ok } from './cloud.ts';
import type { Plan } from './harness.ts';

export async function webPlan(cloud: BenchCloud, concurrency: number): Promise<Plan> {
  // The first requests fill the cache (and the price list's isolate cache).
  for (const path of ['/store', '/store/calculator', '/store/services/evs']) await ok(await fetch(`${cloud.url}${path}`));
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
  ];
}
