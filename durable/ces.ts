/**
 * CesDO: one per project, the only writer of that project's Cloud Eye data: its metric series with their raw points
 * and rollups (durable/ces/store.ts), and its alarm rules (durable/ces/alarm-rules.ts). High-rate series get an owner
 * of their own, so that metrics never contend with the project's resources in its TenantDO. Its alarm evaluates the
 * rules every CES_EVALUATE_MS while any is enabled, and sweeps what retention drops.
 */
import type { MetricPoint } from '../core/ces/metrics.ts';
import type { Env } from '../core/env.ts';
import migrations from '../schema/migrations/ces/migrations.js';
import * as rules from './ces/alarm-rules.ts';
import { notifyTopics } from './ces/notifications.ts';
import * as store from './ces/store.ts';
import { SqliteObject } from './lib/sqlite-object.ts';

const SWEEP_MS = 3_600_000;

export class CesDO extends SqliteObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  /** Takes points (each written once); the number that were new. */
  async ingest(batch: MetricPoint[]) {
    const r = this.run((ctx) => store.ingest(ctx, this.ctx.storage.sql, batch));
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

  /** How often enabled rules are evaluated. */
  private get evaluateEvery(): number {
    return Number(this.env.CES_EVALUATE_MS || 60_000);
  }

  async createAlarmRule(input: rules.AlarmRuleInput) {
    const r = this.run((ctx) => rules.createRule(ctx, input, Date.now()));
    if ('ok' in r && input.enabled) await this.alarmBy(Date.now() + this.evaluateEvery);
    return r;
  }

  alarmRule(id: string) {
    return this.run((ctx) => rules.getRule(ctx, id));
  }

  alarmRules(start: string | undefined, limit: number, order: 'asc' | 'desc') {
    return this.run((ctx) => rules.listRules(ctx, start, limit, order));
  }

  async updateAlarmRule(id: string, patch: Partial<rules.AlarmRuleInput>) {
    const r = this.run((ctx) => rules.updateRule(ctx, id, patch, Date.now()));
    if ('ok' in r && r.ok.enabled) await this.alarmBy(Date.now() + this.evaluateEvery);
    return r;
  }

  deleteAlarmRule(id: string) {
    return this.run((ctx) => rules.deleteRule(ctx, id));
  }

  alarmHistory(id: string | undefined, limit: number) {
    return this.run((ctx) => rules.historyOf(ctx, id, limit));
  }

  /** How many rules the project has, against its quota. */
  alarmQuota() {
    return this.run((ctx) => ({ used: rules.countRules(ctx), quota: rules.ALARM_QUOTA }));
  }

  /**
   * Evaluates the enabled rules at `now` (the alarm does it; tests call it at a time), carries out what fired and
   * answers it: a notification action publishes Cloud Eye's alarm message to its SMN topics; a rule entering (or
   * staying in) `alarm` with an autoscaling action runs the scaling policies bound to it, in the project's AsDO.
   */
  async evaluate(now: number = Date.now()) {
    const r = this.run((ctx) => rules.evaluate(ctx, now));
    if (!('ok' in r)) return r;
    const as = this.env.AS.getByName(this.ctx.id.name ?? '');
    // Each action on its own: one that cannot be carried out now (an owner unreachable) is logged and does not stop
    // the others; a rule still in alarm fires its actions again after its suppress_duration.
    const carry = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
      } catch (err) {
        console.error(`Cloud Eye could not carry out ${what}: ${err instanceof Error ? err.message : err}`);
      }
    };
    for (const f of r.ok) {
      await carry(`the notifications of ${f.alarmId}`, () => notifyTopics(this.env, f));
      if (f.state === 'alarm' && f.actions.some((a) => a.type === 'autoscaling'))
        await carry(`the scaling of ${f.alarmId}`, () => as.alarmFired(f.alarmId, f.at));
    }
    return r;
  }

  override async alarm(): Promise<void> {
    this.alarmSpent();
    const now = Date.now();
    // The next evaluation is set first, so that nothing below can stop the schedule.
    const watching = this.run((ctx) => rules.countRules(ctx, true));
    await this.setAlarm(now + ('ok' in watching && watching.ok > 0 ? this.evaluateEvery : SWEEP_MS));
    this.run((ctx) => store.sweep(ctx, now));
    const r = await this.evaluate(now);
    if ('error' in r) throw new Error(r.error.message);
  }
}
