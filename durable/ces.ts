/**
 * CesDO: one per project, the only writer of that project's Cloud Eye data: its metric series with their raw points
 * and rollups (durable/ces/store.ts), and later its alarm rules. High-rate series get an owner of their own, so that
 * metrics never contend with the project's resources in its TenantDO. Its alarm sweeps what retention drops.
 */
import type { MetricPoint } from '../core/ces/metrics.ts';
import type { Env } from '../core/env.ts';
import migrations from '../schema/migrations/ces/migrations.js';
import * as store from './ces/store.ts';
import { SqliteObject } from './lib/sqlite-object.ts';

const SWEEP_MS = 3_600_000;

export class CesDO extends SqliteObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  /** Takes points (each written once); the number that were new. */
  async ingest(batch: MetricPoint[]) {
    const r = this.run((ctx) => store.ingest(ctx, batch));
    await this.alarmBy(Date.now() + SWEEP_MS);
    return r;
  }

  /** The metrics reported within the last hour that match the filter, a page of them. */
  metrics(filter: store.SeriesFilter) {
    return this.run((ctx) => store.listSeries(ctx, filter, Date.now()));
  }

  /** The datapoints of each query's series, in order; a series never reported has none. */
  metricData(queries: store.DataQuery[]) {
    return this.run((ctx) =>
      queries.map((q) => {
        const s = store.findSeries(ctx, q.key);
        return { series: s, datapoints: s ? store.datapoints(ctx, s, q) : [] };
      }),
    );
  }

  override async alarm(): Promise<void> {
    this.alarmSpent();
    this.run((ctx) => store.sweep(ctx, Date.now()));
    await this.setAlarm(Date.now() + SWEEP_MS);
  }
}
