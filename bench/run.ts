/**
 * `npm run bench`: starts the local cloud on a scratch state folder and measures identity: token issue, token
 * validation, and an authenticated read against an unauthenticated no-op on the same runtime, alternating A B A B.
 * Prints a markdown table to paste into BENCH.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { combine, type Result, run, setServerProcess, table } from './harness.ts';

const SECONDS = Number(process.env.BENCH_SECONDS || 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 8);

async function ok(res: Response, status = 200) {
  if (res.status !== status) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fe-bench-'));
  const cloud = await startServer(dir);
  try {
    const password = 'Bench-pass-12345';
    const state = JSON.parse(readFileSync(join(dir, 'local-state.json'), 'utf8'));
    const boot = await fetch(`${cloud.url}/internal/bootstrap`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${state.secrets.BOOTSTRAP_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ accounts: [{ domain: 'bench', user: 'bench', password }] }),
    });
    const { accounts } = (await boot.json()) as { accounts: { userId: string; projects: { id: string }[] }[] };
    const auth = JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'bench', domain: { name: 'bench' }, password } } },
        scope: { project: { id: accounts[0]!.projects[0]!.id } },
      },
    });
    const issue = async () =>
      ok(
        await fetch(`${cloud.url}/iam/v3/auth/tokens?nocatalog`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: auth,
        }),
        201,
      );
    const res = await fetch(`${cloud.url}/iam/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: auth,
    });
    const token = res.headers.get('X-Subject-Token')!;
    await res.arrayBuffer();
    const headers = { 'X-Auth-Token': token };
    const validate = async () =>
      ok(await fetch(`${cloud.url}/iam/v3/auth/tokens?nocatalog`, { headers: { ...headers, 'X-Subject-Token': token } }));
    const noop = async () => ok(await fetch(`${cloud.url}/healthz`));
    const authRead = async () => ok(await fetch(`${cloud.url}/iam/v3/users/${accounts[0]!.userId}`, { headers }));
    const authOnly = async () => ok(await fetch(`${cloud.url}/iam/v3/auth/catalog`, { headers }));

    const plan: [string, () => Promise<void>, number][] = [
      ['no-op, unauthenticated (GET /healthz)', noop, CONCURRENCY],
      ['authenticated, no directory read (GET /auth/catalog)', authOnly, CONCURRENCY],
      ['authenticated read (GET /users/{id})', authRead, CONCURRENCY],
      ['token validation (GET /auth/tokens)', validate, CONCURRENCY],
      ['token issue (POST /auth/tokens, PBKDF2 100k)', issue, 2],
    ];
    for (const [, op] of plan) await op(); // warm every path once
    const rounds = new Map<string, Result[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, op, concurrency] of plan) {
        const r = await run(name, op, { seconds: SECONDS, concurrency });
        rounds.set(name, [...(rounds.get(name) ?? []), r]);
      }
    }
    const results = plan.map(([name]) => combine(rounds.get(name)!));
    const [noopR, authOnlyR, readR] = results;
    const perOp = (r: Result) => r.serverCpuSec / r.ops;
    console.log(
      `\n${new Date().toISOString().slice(0, 10)} · ${cpus().length} cores · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · load ${loadavg()[0]!.toFixed(2)} before · ${SECONDS}s x ${ROUNDS} rounds, alternated · server = npm start's process tree (Node + workerd), client = this process\n`,
    );
    console.log(table(results));
    console.log(
      `\nauth overhead: throughput ${(authOnlyR!.opsPerSec / noopR!.opsPerSec).toFixed(2)}x of no-op; server CPU per request +${((perOp(authOnlyR!) / perOp(noopR!) - 1) * 100).toFixed(0)}% (token + guard), +${((perOp(readR!) / perOp(noopR!) - 1) * 100).toFixed(0)}% with a directory read`,
    );
  } finally {
    cloud.child.kill('SIGTERM');
    await new Promise((resolve) => cloud.child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts `npm start`'s program in its own process (so the client's CPU is measured apart), on a free port. */
async function startServer(dir: string) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ['local/start.ts'], {
    env: { ...process.env, FE_DATA_DIR: dir, PORT: String(port), FE_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  setServerProcess(child.pid!);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('local cloud ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the cloud exited (${code}): ${out}`)));
  });
  child.stdout!.resume();
  return { url: `http://127.0.0.1:${port}`, child };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
