/**
 * OBS against s3rver 3.7.1, both driven from this process by `@aws-sdk/client-s3`: PUT and GET throughput of
 * 1 MiB and 64 MiB objects, 4 KiB PUTs and GETs at 16 concurrent, and listings over 10,000 keys. Ours and
 * s3rver alternate measurement by measurement, round by round; the comparison runs with the SDK's checksums
 * off (`WHEN_REQUIRED`, as BENCHMARKS.md asks for these peers), and our store runs again with the SDK's
 * defaults (what real users send), against no peer.
 *
 * The PUT and GET rows also measure a third store in the same rounds: "R2 alone" (`r2-alone.ts`), miniflare's
 * local R2 behind a Worker that only passes the request body to `R2Bucket.put` and the object's body back from
 * `R2Bucket.get`. Our bytes live in that same simulator, so it is the local floor, with nothing of ours in the
 * path: where it is slower than s3rver, no local build of ours can be faster than s3rver there. Its server CPU
 * is its Node process and the workerd that process starts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { BenchCloud } from './cloud.ts';
import { combine, type Result, run, setServerProcess } from './harness.ts';

type Op = () => Promise<void>;

/** One line of the report: how fast an operation runs on our store and, when it has them, on s3rver and R2 alone. */
interface Row {
  name: string;
  /** `MB/s` rows count bytes moved, `ops/s` rows operations, `s` rows seconds per operation. */
  unit: 'MB/s' | 'ops/s' | 's';
  bytesPerOp: number;
  concurrency: number;
  ours: Op;
  peer?: Op;
  r2?: Op;
}

interface Server {
  client: S3Client;
  pid: number;
}

/** A store in a child process of ours, with its data in a temp dir. */
interface Child {
  child: ChildProcess;
  url: string;
  dir: string;
}

const MiB = 2 ** 20;
const SIZES = [
  { label: '1 MiB', bytes: MiB, concurrency: 4 },
  { label: '64 MiB', bytes: 64 * MiB, concurrency: 2 },
];
const SMALL = { label: '4 KiB', bytes: 4096, concurrency: 16 };
const PREFIXES = Number(process.env.BENCH_OBS_PREFIXES || 100);
const PER_PREFIX = Number(process.env.BENCH_OBS_KEYS_PER_PREFIX || 100);

/** An SDK client for an endpoint; `checksums: false` sends and checks checksums only when an API requires them. */
function s3Client(endpoint: string, credentials: BenchCloud['demoKeys'], checksums: boolean): S3Client {
  return new S3Client({
    endpoint,
    region: 'eu-west-0',
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
    ...(checksums ? {} : { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
  });
}

/** Starts s3rver in its own Node process (legacy OpenSSL: its continuation tokens use DES), data in a temp dir. */
async function startS3rver(): Promise<Child> {
  const dir = mkdtempSync(join(tmpdir(), 'fe-bench-s3rver-'));
  const port = 40000 + Math.floor(Math.random() * 10000);
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', 'node_modules/s3rver/bin/s3rver.js', '-d', dir, '-a', '127.0.0.1', '-p', String(port), '--silent'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    const up = await fetch(url).then(
      (r) => r.arrayBuffer().then(() => true),
      () => false,
    );
    if (up) return { child, url, dir };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild({ child, url, dir });
  throw new Error(`s3rver did not start (exit code ${child.exitCode})`);
}

/** Starts `r2-alone.ts` in its own Node process (which starts workerd), R2's data in a temp dir; it prints its URL. */
async function startR2Alone(): Promise<Child> {
  const dir = mkdtempSync(join(tmpdir(), 'fe-bench-r2-alone-'));
  // stdin stays open as a lifeline: the child stops its workerd when it closes.
  const child = spawn(process.execPath, ['bench/r2-alone.ts', dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const printed = out.match(/R2 alone (http\S+)/);
        if (printed) resolve(printed[1]!);
      });
      child.once('exit', (code) => reject(new Error(`R2 alone exited (${code}): ${out}`)));
      setTimeout(() => reject(new Error('R2 alone did not start in 60 s')), 60_000).unref();
    });
    child.stdout!.resume();
    return { child, url, dir };
  } catch (err) {
    await stopChild({ child, url: '', dir });
    throw err;
  }
}

/** Stops a child store and deletes its data. */
async function stopChild({ child, dir }: Child): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}

async function drain(body: unknown, expected: number): Promise<void> {
  let n = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) n += chunk.length;
  if (n !== expected) throw new Error(`GET returned ${n} bytes, expected ${expected}`);
}

/** Runs `op` over `n` items with `concurrency` loops. */
async function pool(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
}

const listKey = (p: number, k: number) => `p${String(p).padStart(3, '0')}/k${String(k).padStart(3, '0')}`;

/** Creates the buckets and the objects the GETs read, and with `withListings` the keys the listings read. */
async function seed(c: S3Client, bodies: Map<number, Uint8Array>, withListings: boolean): Promise<void> {
  await c.send(new CreateBucketCommand({ Bucket: 'bench-data' }));
  for (const [bytes, Body] of bodies) await c.send(new PutObjectCommand({ Bucket: 'bench-data', Key: `get/${bytes}`, Body }));
  if (!withListings) return;
  await c.send(new CreateBucketCommand({ Bucket: 'bench-list' }));
  const tiny = new Uint8Array(16);
  // 16 at a time: past 20 requests that all miss the credential and grant caches at once, the directory
  // client's own queue (libsql's default concurrency of 20) hangs requests in workerd (see BENCH.md).
  await pool(PREFIXES * PER_PREFIX, 16, (i) =>
    c.send(new PutObjectCommand({ Bucket: 'bench-list', Key: listKey(Math.floor(i / PER_PREFIX), i % PER_PREFIX), Body: tiny })),
  );
}

/** Pages through a listing; fails unless it finds `expected` keys plus common prefixes. */
async function listAll(c: S3Client, params: { Prefix?: string; Delimiter?: string }, expected: number): Promise<void> {
  let token: string | undefined;
  let found = 0;
  do {
    const page: ListObjectsV2CommandOutput = await c.send(
      new ListObjectsV2Command({ Bucket: 'bench-list', ...params, ContinuationToken: token }),
    );
    found += (page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (found !== expected) throw new Error(`listing found ${found}, expected ${expected}`);
}

/** The rows measured on one client: PUT and GET per size, then the listings. */
function rowsFor(c: S3Client, bodies: Map<number, Uint8Array>, withListings: boolean, getPrefix = 'get'): Omit<Row, 'peer'>[] {
  const rows: Omit<Row, 'peer'>[] = [];
  for (const size of [...SIZES, SMALL]) {
    const Body = bodies.get(size.bytes)!;
    let n = 0;
    const unit = size === SMALL ? 'ops/s' : 'MB/s';
    rows.push({
      name: `PUT ${size.label} × ${size.concurrency}`,
      unit,
      bytesPerOp: size.bytes,
      concurrency: size.concurrency,
      ours: async () => {
        await c.send(new PutObjectCommand({ Bucket: 'bench-data', Key: `put/${size.bytes}/${n++ % 32}`, Body }));
      },
    });
    rows.push({
      name: `GET ${size.label} × ${size.concurrency}`,
      unit,
      bytesPerOp: size.bytes,
      concurrency: size.concurrency,
      ours: async () =>
        drain((await c.send(new GetObjectCommand({ Bucket: 'bench-data', Key: `${getPrefix}/${size.bytes}` }))).Body, size.bytes),
    });
  }
  if (withListings) {
    const total = PREFIXES * PER_PREFIX;
    const one = `p${String(Math.floor(PREFIXES / 2)).padStart(3, '0')}/`;
    rows.push(
      { name: `list ${total} keys, 1,000 a page`, unit: 's', bytesPerOp: 0, concurrency: 1, ours: () => listAll(c, {}, total) },
      {
        name: `list ${total} keys with delimiter / (${PREFIXES} prefixes)`,
        unit: 's',
        bytesPerOp: 0,
        concurrency: 1,
        ours: () => listAll(c, { Delimiter: '/' }, PREFIXES),
      },
      {
        name: `list prefix ${one} with delimiter / (${PER_PREFIX} of ${total} keys)`,
        unit: 's',
        bytesPerOp: 0,
        concurrency: 1,
        ours: () => listAll(c, { Prefix: one, Delimiter: '/' }, PER_PREFIX),
      },
    );
  }
  return rows;
}

/** The figure a row reports: MB/s, operations per second, or seconds per operation. */
function figure(row: Row, r: Result): number {
  if (row.unit === 'MB/s') return (r.opsPerSec * row.bytesPerOp) / 1e6;
  if (row.unit === 's') return r.seconds / Math.max(r.ops, 1);
  return r.opsPerSec;
}

/** How many times faster `a` ran than `b` on a row (for `s` rows, fewer seconds is faster). */
function speedup(row: Row, a: Result, b: Result): number {
  return row.unit === 's' ? figure(row, b) / figure(row, a) : figure(row, a) / figure(row, b);
}

/** How much of the row's work one server CPU-second does (MB, operations or listings). */
function perServerCpu(row: Row, r: Result): number {
  const work = row.unit === 'MB/s' ? (r.ops * row.bytesPerOp) / 1e6 : r.ops;
  return work / Math.max(r.serverCpuSec, 0.01);
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The comparison table (ours, s3rver, R2 alone where measured) and the table of ours with the SDK defaults. */
function report(compared: Row[], defaults: Row[], result: (key: string) => Result): string[] {
  const none = '–';
  return [
    '| measurement | unit | ours | s3rver | ratio (>1: ours faster) | server CPU s, ours / s3rver | per server CPU s, ours / s3rver | client CPU s, ours / s3rver | R2 alone | ours / R2 alone | R2 alone / s3rver | server CPU s, R2 alone | per server CPU s, R2 alone | client CPU s, R2 alone |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...compared.map((row) => {
      const a = result(`ours ${row.name}`);
      const b = result(`s3rver ${row.name}`);
      const r = row.r2 && result(`R2 alone ${row.name}`);
      const alone = r
        ? [
            fmt(figure(row, r)),
            speedup(row, a, r).toFixed(2),
            speedup(row, r, b).toFixed(2),
            r.serverCpuSec.toFixed(1),
            fmt(perServerCpu(row, r)),
            r.clientCpuSec.toFixed(1),
          ]
        : Array(6).fill(none);
      return `| ${row.name} | ${row.unit} | ${fmt(figure(row, a))} | ${fmt(figure(row, b))} | ${speedup(row, a, b).toFixed(2)} | ${a.serverCpuSec.toFixed(1)} / ${b.serverCpuSec.toFixed(1)} | ${fmt(perServerCpu(row, a))} / ${fmt(perServerCpu(row, b))} | ${a.clientCpuSec.toFixed(1)} / ${b.clientCpuSec.toFixed(1)} | ${alone.join(' | ')} |`;
    }),
    '',
    '| ours with the SDK defaults (checksums on) | unit | figure | p50 ms | p99 ms | server CPU s | per server CPU s | client CPU s |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...defaults.map((row) => {
      const a = result(`ours ${row.name}`);
      return `| ${row.name} | ${row.unit} | ${fmt(figure(row, a))} | ${a.p50ms.toFixed(1)} | ${a.p99ms.toFixed(1)} | ${a.serverCpuSec.toFixed(1)} | ${fmt(perServerCpu(row, a))} | ${a.clientCpuSec.toFixed(1)} |`;
    }),
  ];
}

/** Seconds that `work` takes. */
async function timed(work: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await work();
  return (performance.now() - t) / 1000;
}

/** Seeds the three stores, runs every row for `rounds` rounds alternating ours, s3rver and R2 alone, returns the report. */
async function compare(cloud: BenchCloud, s3rver: Child, r2: Child, opts: { seconds: number; rounds: number }): Promise<string> {
  const bodies = new Map([...SIZES, SMALL].map((s) => [s.bytes, new Uint8Array(randomBytes(s.bytes))] as const));
  const ours: Server = { client: s3Client(cloud.obsUrl, cloud.demoKeys, false), pid: cloud.child.pid! };
  const theirs: Server = {
    client: s3Client(s3rver.url, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, false),
    pid: s3rver.child.pid!,
  };
  // R2 alone ignores authentication; the SDK wants some keys to sign with.
  const alone: Server = { client: s3Client(r2.url, { accessKeyId: 'R2', secretAccessKey: 'R2' }, false), pid: r2.child.pid! };
  const oursDefaults = s3Client(cloud.obsUrl, cloud.demoKeys, true);
  const oursSeed = await timed(() => seed(ours.client, bodies, true));
  const peerSeed = await timed(() => seed(theirs.client, bodies, true));
  const aloneSeed = await timed(() => seed(alone.client, bodies, false));
  const peerRows = rowsFor(theirs.client, bodies, true);
  const aloneOps = new Map(rowsFor(alone.client, bodies, false).map((r) => [r.name, r.ours]));
  const compared: Row[] = rowsFor(ours.client, bodies, true).map((r, i) => ({ ...r, peer: peerRows[i]!.ours, r2: aloneOps.get(r.name) }));
  // What the defaults read was written with the defaults, so that its checksums are there to be validated.
  for (const [bytes, Body] of bodies)
    await oursDefaults.send(new PutObjectCommand({ Bucket: 'bench-data', Key: `defaults/${bytes}`, Body }));
  const defaults: Row[] = rowsFor(oursDefaults, bodies, false, 'defaults').map((r) => ({
    ...r,
    name: `${r.name}, SDK default checksums`,
  }));
  const measured = new Map<string, Result[]>();
  const measure = async (key: string, server: Server, row: Row, op: Op) => {
    setServerProcess(server.pid);
    measured.set(key, [...(measured.get(key) ?? []), await run(key, op, { seconds: opts.seconds, concurrency: row.concurrency })]);
  };
  for (const row of [...compared, ...defaults]) {
    await row.ours(); // warm every path once
    await row.peer?.();
    await row.r2?.();
  }
  for (let round = 0; round < opts.rounds; round++) {
    for (const row of [...compared, ...defaults]) {
      await measure(`ours ${row.name}`, ours, row, row.ours);
      if (row.peer) await measure(`s3rver ${row.name}`, theirs, row, row.peer);
      if (row.r2) await measure(`R2 alone ${row.name}`, alone, row, row.r2);
    }
  }
  setServerProcess(ours.pid);
  for (const c of [ours.client, theirs.client, alone.client, oursDefaults]) c.destroy();
  return [
    `Load average (1 min) at the end of the OBS rows: ${loadavg()[0]!.toFixed(2)}. ` +
      `Seeding an object of each size and ${PREFIXES * PER_PREFIX} listing keys (16 concurrent PUTs): ours ${oursSeed.toFixed(1)} s, s3rver ${peerSeed.toFixed(1)} s; ` +
      `R2 alone, the objects only: ${aloneSeed.toFixed(1)} s. Ratios above 1: the first named is faster.`,
    '',
    ...report(compared, defaults, (key) => combine(measured.get(key)!)),
  ].join('\n');
}

/** Starts s3rver and R2 alone beside the cloud, compares the three, and stops both whatever happens. */
export async function obsBench(cloud: BenchCloud, opts: { seconds: number; rounds: number }): Promise<string> {
  const children: Child[] = [];
  try {
    children.push(await startS3rver());
    children.push(await startR2Alone());
    return await compare(cloud, children[0]!, children[1]!, opts);
  } finally {
    await Promise.all(children.map(stopChild));
  }
}
