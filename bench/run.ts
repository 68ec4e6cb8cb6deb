/**
 * `npm run bench [suite...]`: starts the local cloud on a scratch state folder and runs the suites (iam, vpc,
 * the ecs, evs and vbs scenarios, obs against s3rver, ims against obs, bss: billing's intake and rating, ces: Cloud
 * Eye's metric intake, as: Auto Scaling's reaction to an alarm), alternating their measurements round by round.
 * Prints markdown tables for BENCH.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { asBench } from './as.bench.ts';
import { bssBench } from './bss.bench.ts';
import { cesBench } from './ces.bench.ts';
import { type BenchCloud, startServer, stopServer } from './cloud.ts';
import { buildScenario, recoveryScenario, type ScenarioResult } from './ecs.bench.ts';
import { attachScenario, volumeCreateScenario } from './evs.bench.ts';
import { combine, type Plan, type Result, run, table } from './harness.ts';
import { identityPlan } from './iam.bench.ts';
import { imsBench } from './ims.bench.ts';
import { obsBench } from './obs.bench.ts';
import { backupScenario, restoreScenario } from './vbs.bench.ts';
import { networkPlan } from './vpc.bench.ts';
import { consoleScriptWeights, webPlan } from './web.bench.ts';

const SECONDS = Number(process.env.BENCH_SECONDS || 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 8);
const SUITES = { iam: identityPlan, vpc: networkPlan, web: webPlan };
// Recovery first: it pins 200 servers to one host, which must have room for them.
const SCENARIOS = {
  ecs: [recoveryScenario, buildScenario],
  evs: [volumeCreateScenario, attachScenario],
  vbs: [backupScenario, restoreScenario],
};
// Suites that compare against a peer and print their own table.
const COMPARISONS = {
  obs: obsBench,
  ims: imsBench,
  console: consoleScriptWeights,
  bss: (cloud: BenchCloud) => bssBench(cloud),
  ces: (cloud: BenchCloud) => cesBench(cloud),
  // On a cloud of its own, with shortened clocks.
  as: (cloud: BenchCloud) => asBench(cloud),
};

async function main() {
  const args = process.argv.slice(2);
  const wanted = args.filter((a) => a in SUITES) as (keyof typeof SUITES)[];
  const suites = wanted.length || args.length ? wanted : (Object.keys(SUITES) as (keyof typeof SUITES)[]);
  const scenarios = args.length
    ? args.filter((a) => a in SCENARIOS).flatMap((a) => SCENARIOS[a as keyof typeof SCENARIOS])
    : Object.values(SCENARIOS).flat();
  const comparisons = (args.length ? args.filter((a) => a in COMPARISONS) : Object.keys(COMPARISONS)) as (keyof typeof COMPARISONS)[];
  const dir = mkdtempSync(join(tmpdir(), 'fe-bench-'));
  const load = loadavg()[0]!;
  const cloud = await startServer(dir);
  try {
    const timed: ScenarioResult[] = [];
    for (const scenario of scenarios) timed.push(await scenario(cloud));
    const plan: Plan = [];
    for (const s of suites) plan.push(...(await SUITES[s](cloud, CONCURRENCY)));
    for (const [, op] of plan) await op(); // warm every path once
    const rounds = new Map<string, Result[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, op, concurrency] of plan)
        rounds.set(name, [...(rounds.get(name) ?? []), await run(name, op, { seconds: SECONDS, concurrency })]);
    }
    const results = plan.map(([name]) => combine(rounds.get(name)!));
    const reports: string[] = [];
    for (const c of comparisons) reports.push(`### ${c}\n\n${await COMPARISONS[c](cloud, { seconds: SECONDS, rounds: ROUNDS })}`);
    console.log(
      `\n${new Date().toISOString().slice(0, 10)} · ${cpus().length} cores · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · load ${load.toFixed(2)} before · ${SECONDS}s x ${ROUNDS} rounds, alternated · server = npm start's process tree (Node + workerd), client = this process\n`,
    );
    if (results.length) console.log(table(results));
    for (const r of reports) console.log(`\n${r}`);
    if (timed.length) {
      console.log('\n| scenario | seconds | rate per second | target |\n|---|---:|---:|---|');
      for (const r of timed) console.log(`| ${r.name} | ${r.seconds.toFixed(1)} | ${(r.count / r.seconds).toFixed(0)} | ${r.target} |`);
    }
    const noop = results.find((r) => r.name.startsWith('no-op'));
    const authOnly = results.find((r) => r.name.startsWith('authenticated, no directory'));
    const read = results.find((r) => r.name.startsWith('authenticated read'));
    if (noop && authOnly && read) {
      const perOp = (r: Result) => r.serverCpuSec / r.ops;
      console.log(
        `\nauth overhead: throughput ${(authOnly.opsPerSec / noop.opsPerSec).toFixed(2)}x of no-op; server CPU per request +${((perOp(authOnly) / perOp(noop) - 1) * 100).toFixed(0)}% (token + guard), +${((perOp(read) / perOp(noop) - 1) * 100).toFixed(0)}% with a directory read`,
      );
    }
  } finally {
    await stopServer(cloud);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
