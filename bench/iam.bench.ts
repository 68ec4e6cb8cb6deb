/** Identity: token issue and validation, and an authenticated read against an unauthenticated no-op. */
import { accounts, authBody, type BenchCloud, ok } from './cloud.ts';
import type { Plan } from './harness.ts';

export async function identityPlan(cloud: BenchCloud, concurrency: number): Promise<Plan> {
  const [a] = await accounts(cloud, ['bench-identity']);
  const { token, userId } = a!;
  const headers = { 'X-Auth-Token': token };
  const body = authBody(a!);
  return [
    ['no-op, unauthenticated (GET /healthz)', async () => ok(await fetch(`${cloud.url}/healthz`)), concurrency],
    [
      'authenticated, no directory read (GET /auth/catalog)',
      async () => ok(await fetch(`${cloud.url}/iam/v3/auth/catalog`, { headers })),
      concurrency,
    ],
    ['authenticated read (GET /users/{id})', async () => ok(await fetch(`${cloud.url}/iam/v3/users/${userId}`, { headers })), concurrency],
    [
      'token validation (GET /auth/tokens)',
      async () => ok(await fetch(`${cloud.url}/iam/v3/auth/tokens?nocatalog`, { headers: { ...headers, 'X-Subject-Token': token } })),
      concurrency,
    ],
    [
      'token issue (POST /auth/tokens, PBKDF2 100k)',
      async () =>
        ok(
          await fetch(`${cloud.url}/iam/v3/auth/tokens?nocatalog`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body,
          }),
          201,
        ),
      2,
    ],
  ];
}
