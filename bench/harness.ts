/** A small load harness: fixed-duration closed-loop runs with client and server CPU, alternated A B A B. */
import { readdirSync, readFileSync } from 'node:fs';

/** Named operations to measure, each with its concurrency. */
export type Plan = [name: string, op: () => Promise<void>, concurrency: number][];

export interface Result {
  name: string;
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50ms: number;
  p99ms: number;
  clientCpuSec: number;
  serverCpuSec: number;
}

const TICKS = 100; // USER_HZ on Linux

let serverRoot = 0;

/** Measures server CPU as that of this process tree (the cloud's Node process and its workerd). */
export function setServerProcess(pid: number): void {
  serverRoot = pid;
}

/** CPU seconds used so far by the server process and all its descendants. */
export function serverCpuSeconds(): number {
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS });
    } catch {
      // The process ended while we looked.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 32; p = stats.get(p)?.ppid ?? 0, hops++) if (p === serverRoot) return true;
    return false;
  };
  let total = 0;
  for (const [pid, s] of stats) if (serverRoot && inTree(pid)) total += s.cpu;
  return total;
}

/** Runs `op` with `concurrency` loops for `seconds`; each op must resolve or throw. */
export async function run(name: string, op: () => Promise<void>, opts: { seconds: number; concurrency: number }): Promise<Result> {
  const latencies: number[] = [];
  const deadline = performance.now() + opts.seconds * 1000;
  const cpu0 = process.cpuUsage();
  const server0 = serverCpuSeconds();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await op();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    name,
    ops: latencies.length,
    seconds,
    opsPerSec: latencies.length / seconds,
    p50ms: at(0.5),
    p99ms: at(0.99),
    clientCpuSec: (cpu.user + cpu.system) / 1e6,
    serverCpuSec: serverCpuSeconds() - server0,
  };
}

/** Sums several rounds of one measurement. */
export function combine(rounds: Result[]): Result {
  const first = rounds[0]!;
  const ops = rounds.reduce((s, r) => s + r.ops, 0);
  const seconds = rounds.reduce((s, r) => s + r.seconds, 0);
  const med = (f: (r: Result) => number) => rounds.map(f).sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  return {
    name: first.name,
    ops,
    seconds,
    opsPerSec: ops / seconds,
    p50ms: med((r) => r.p50ms),
    p99ms: med((r) => r.p99ms),
    clientCpuSec: rounds.reduce((s, r) => s + r.clientCpuSec, 0),
    serverCpuSec: rounds.reduce((s, r) => s + r.serverCpuSec, 0),
  };
}

/** A markdown table of results. */
export function table(results: Result[]): string {
  const head =
    '| measurement | ops | ops/s | p50 ms | p99 ms | server CPU s | ops per server CPU s | client CPU s |\n|---|---:|---:|---:|---:|---:|---:|---:|';
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.ops} | ${r.opsPerSec.toFixed(0)} | ${r.p50ms.toFixed(2)} | ${r.p99ms.toFixed(2)} | ${r.serverCpuSec.toFixed(2)} | ${(r.ops / Math.max(r.serverCpuSec, 0.01)).toFixed(0)} | ${r.clientCpuSec.toFixed(2)} |`,
  );
  return [head, ...rows].join('\n');
}
