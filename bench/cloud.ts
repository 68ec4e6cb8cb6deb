/** The cloud under benchmark: `npm start`'s program in its own process, plus accounts and tokens for the suites. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setServerProcess } from './harness.ts';

export interface BenchCloud {
  url: string;
  /** The OBS (S3) endpoint, on its own port. */
  obsUrl: string;
  /** The demo account's AK/SK, as written for the S3 clients (profile `demo`). */
  demoKeys: { accessKeyId: string; secretAccessKey: string };
  child: ChildProcess;
  bootstrapToken: string;
}

export interface BenchAccount {
  domain: string;
  user: string;
  password: string;
  userId: string;
  projectId: string;
  token: string;
}

/** Fails unless the response has the expected status; drains the body. */
export async function ok(res: Response, status = 200): Promise<void> {
  if (res.status !== status) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** Starts the cloud on a free port with state in dir (so the client's CPU is measured apart). */
export async function startServer(dir: string): Promise<BenchCloud> {
  // BENCH_PORT pins the port (and OBS's, the next one) when several people share a machine.
  const port = Number(process.env.BENCH_PORT) || 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ['local/start.ts'], {
    env: { ...process.env, FE_DATA_DIR: dir, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  setServerProcess(child.pid!);
  const obsUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const obs = out.match(/OBS \(S3 endpoint\)\s+(http\S+)/);
      if (out.includes('local cloud ready') && obs) resolve(obs[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the cloud exited (${code}): ${out}`)));
  });
  child.stdout!.resume();
  const state = JSON.parse(readFileSync(join(dir, 'local-state.json'), 'utf8'));
  return {
    url: `http://127.0.0.1:${port}`,
    obsUrl,
    demoKeys: profileKeys(readFileSync(join(dir, 'aws', 'credentials'), 'utf8'), 'demo'),
    child,
    bootstrapToken: state.secrets.BOOTSTRAP_TOKEN,
  };
}

/** One profile's keys from an AWS `credentials` file. */
function profileKeys(ini: string, profile: string): BenchCloud['demoKeys'] {
  const section = ini.split(/^\[/m).find((s) => s.startsWith(`${profile}]`)) ?? '';
  const value = (name: string) => section.match(new RegExp(`^${name}\\s*=\\s*(\\S+)`, 'm'))?.[1];
  const accessKeyId = value('aws_access_key_id');
  const secretAccessKey = value('aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) throw new Error(`no keys for profile ${profile} in the cloud's AWS credentials`);
  return { accessKeyId, secretAccessKey };
}

/** Stops the cloud. */
export async function stopServer(cloud: BenchCloud): Promise<void> {
  cloud.child.kill('SIGTERM');
  await new Promise((resolve) => cloud.child.once('exit', resolve));
}

/** The password-auth body for an account, scoped to its first project. */
export function authBody(a: { domain: string; user: string; password: string; projectId: string }): string {
  return JSON.stringify({
    auth: {
      identity: { methods: ['password'], password: { user: { name: a.user, domain: { name: a.domain }, password: a.password } } },
      scope: { project: { id: a.projectId } },
    },
  });
}

/** Creates accounts (te_admin users) and signs each in. */
export async function accounts(cloud: BenchCloud, names: string[], operator = false): Promise<BenchAccount[]> {
  const password = 'Bench-pass-12345';
  const res = await fetch(`${cloud.url}/internal/bootstrap`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${cloud.bootstrapToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ accounts: names.map((n) => ({ domain: n, user: n, password, operator })) }),
  });
  const body = (await res.json()) as { accounts: { userId: string; projects: { id: string }[] }[] };
  return Promise.all(
    body.accounts.map(async (a, i) => {
      const acct = { domain: names[i]!, user: names[i]!, password, userId: a.userId, projectId: a.projects[0]!.id, token: '' };
      const t = await fetch(`${cloud.url}/iam/v3/auth/tokens?nocatalog`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: authBody(acct),
      });
      acct.token = t.headers.get('X-Subject-Token')!;
      await t.arrayBuffer();
      return acct;
    }),
  );
}

/** A JSON request with the account's token. */
export function api(cloud: BenchCloud, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(cloud.url + path, {
    method,
    headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
