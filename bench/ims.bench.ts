/**
 * IMS against OBS on the same cloud: image upload (`PUT /v2/images/{id}/file`, hashed MD5 + SHA-512 on the way)
 * and download (`GET /file`) of 64 MiB, next to OBS's own PUT and GET of the same bytes (`@aws-sdk/client-s3`,
 * checksums off), alternated round by round. Both land in the same R2, so the ratio is what IMS's path costs
 * over OBS's.
 */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { accounts, type BenchCloud, ok } from './cloud.ts';
import { combine, type Result, run, setServerProcess } from './harness.ts';

const MiB = 2 ** 20;
const SIZE = 64 * MiB;
const CONCURRENCY = 2;

type Op = () => Promise<void>;

async function drain(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null | undefined, expected: number): Promise<void> {
  let n = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) n += chunk.length;
  if (n !== expected) throw new Error(`read ${n} bytes, expected ${expected}`);
}

/** Runs the four measurements for `rounds` rounds, alternating IMS and OBS, and answers the markdown report. */
export async function imsBench(cloud: BenchCloud, opts: { seconds: number; rounds: number }): Promise<string> {
  const [acct] = await accounts(cloud, [`bench-ims-${Date.now().toString(36)}`]);
  const token = acct!.token;
  const body = new Uint8Array(randomBytes(SIZE));
  const glance = (method: string, path: string, init: RequestInit = {}) =>
    fetch(`${cloud.url}/ims${path}`, {
      ...init,
      method,
      headers: { 'X-Auth-Token': token, Accept: 'application/json', ...(init.headers ?? {}) },
    });
  const created: string[] = [];
  const newImage = async () => {
    const res = await glance('POST', '/v2/images', {
      body: JSON.stringify({ name: 'bench', disk_format: 'raw', container_format: 'bare' }),
      headers: { 'Content-Type': 'application/json' },
    });
    if (res.status !== 201) throw new Error(`image create: ${res.status} ${await res.text()}`);
    const id = ((await res.json()) as { id: string }).id;
    created.push(id);
    return id;
  };
  const uploadTo = async (id: string) =>
    ok(await glance('PUT', `/v2/images/${id}/file`, { body, headers: { 'Content-Type': 'application/octet-stream' } }), 204);
  // Images are deleted between measurements (the project's image count quota is 100).
  const cleanup = async () => {
    for (const id of created.splice(0)) await ok(await glance('DELETE', `/v2/images/${id}`), 204);
  };
  const seeded = await newImage();
  await uploadTo(seeded);
  created.length = 0;

  const s3 = new S3Client({
    endpoint: cloud.obsUrl,
    region: 'eu-west-0',
    forcePathStyle: true,
    credentials: cloud.demoKeys,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const bucket = `bench-ims-${Date.now().toString(36)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'get', Body: body }));
  let n = 0;
  const rows: [string, Op][] = [
    ['IMS image upload 64 MiB (create + PUT /file)', async () => uploadTo(await newImage())],
    ['OBS PUT 64 MiB', async () => void (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `put/${n++ % 8}`, Body: body })))],
    [
      'IMS image download 64 MiB (GET /file)',
      async () => {
        const res = await glance('GET', `/v2/images/${seeded}/file`);
        await drain(res.body, SIZE);
      },
    ],
    [
      'OBS GET 64 MiB',
      async () => drain((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'get' }))).Body as AsyncIterable<Uint8Array>, SIZE),
    ],
  ];
  setServerProcess(cloud.child.pid!);
  for (const [, op] of rows) await op(); // warm every path once
  await cleanup();
  const measured = new Map<string, Result[]>();
  for (let round = 0; round < opts.rounds; round++)
    for (const [name, op] of rows) {
      measured.set(name, [...(measured.get(name) ?? []), await run(name, op, { seconds: opts.seconds, concurrency: CONCURRENCY })]);
      await cleanup();
    }
  s3.destroy();
  const results = rows.map(([name]) => combine(measured.get(name)!));
  const mbps = (r: Result) => (r.ops * SIZE) / 1e6 / r.seconds;
  const perCpu = (r: Result) => (r.ops * SIZE) / 1e6 / Math.max(r.serverCpuSec, 0.01);
  const [up, put, down, get] = results as [Result, Result, Result, Result];
  return [
    `${CONCURRENCY} concurrent, ${SIZE / MiB} MiB bodies. Ratios: upload / OBS PUT ${(mbps(up) / mbps(put)).toFixed(2)}, download / OBS GET ${(mbps(down) / mbps(get)).toFixed(2)} (above 1: IMS faster).`,
    '',
    '| measurement | MB/s | ops | p50 ms | p99 ms | server CPU s | MB per server CPU s | client CPU s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${mbps(r).toFixed(1)} | ${r.ops} | ${r.p50ms.toFixed(0)} | ${r.p99ms.toFixed(0)} | ${r.serverCpuSec.toFixed(1)} | ${perCpu(r).toFixed(1)} | ${r.clientCpuSec.toFixed(1)} |`,
    ),
  ].join('\n');
}
