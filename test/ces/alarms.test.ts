/**
 * Cloud Eye's alarm rules in workerd: their API (create, list, show, update, switch, delete, history, quota), and their
 * evaluation over the periods of a metric: `alarm` when the last `count` periods all breach, `ok` when not,
 * `insufficient_data` with no data; each change in the history with its datapoints, and the rule's actions fired on a
 * change and again every suppress_duration while it stays in alarm. A guest's workload raising its CPU sets one off.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { activeServer, bindings, type ComputeProject, computeProject } from '../ecs/fixtures.ts';
import { send } from '../request.ts';

const FIVE_MIN = 300_000;
const ces = (p: ComputeProject, method: string, path: string, body?: unknown) =>
  send(p.token, method, `/ces/V1.0/${p.project}${path}`, body);
const evaluate = (p: ComputeProject, at: number) => bindings.CES.getByName(p.project).evaluate(at);

const queueMetric = { namespace: 'MINE.app', metric_name: 'queue_depth', dimensions: [{ name: 'queue', value: 'orders' }] };
const rule = (condition: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  alarm_name: 'deep-queue',
  metric: queueMetric,
  condition: { period: 300, filter: 'average', comparison_operator: '>', value: 10, unit: 'count', count: 2, ...condition },
  alarm_actions: [{ type: 'autoscaling', notificationList: [] }],
  ...extra,
});

/** Custom points of the queue, one per value, each in its own 5-minute period from `start` on. */
async function postPeriods(p: ComputeProject, start: number, values: number[]) {
  const points = values.map((value, i) => ({
    metric: queueMetric,
    ttl: 86_400,
    collect_time: start + i * FIVE_MIN + 1000,
    value,
    type: 'int',
  }));
  const res = await ces(p, 'POST', '/metric-data', points);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

describe('alarm rules', () => {
  it('are created, listed, shown, changed, switched and deleted as Cloud Eye v1 does', async () => {
    const p = await computeProject('cesa');
    const made = await ces(p, 'POST', '/alarms', rule({}, { alarm_description: 'orders pile up', alarm_level: 1 }));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.alarm_id;
    expect(id).toMatch(/^al\d{13}[A-Za-z0-9]{9}$/);
    const shown = await ces(p, 'GET', `/alarms/${id}`);
    expect(shown.body.metric_alarms).toEqual([
      {
        alarm_id: id,
        alarm_name: 'deep-queue',
        alarm_description: 'orders pile up',
        metric: queueMetric,
        condition: { period: 300, filter: 'average', comparison_operator: '>', value: 10, unit: 'count', count: 2, suppress_duration: 0 },
        alarm_enabled: true,
        alarm_level: 1,
        alarm_action_enabled: true,
        alarm_actions: [{ type: 'autoscaling', notificationList: [] }],
        ok_actions: [],
        insufficientdata_actions: [],
        alarm_state: 'insufficient_data',
        update_time: expect.any(Number),
      },
    ]);
    expect((await ces(p, 'PUT', `/alarms/${id}`, { alarm_name: 'renamed', alarm_level: 3 })).status).toBe(204);
    expect((await ces(p, 'PUT', `/alarms/${id}/action`, { alarm_enabled: false })).status).toBe(204);
    const listed = await ces(p, 'GET', '/alarms');
    expect(listed.body.metric_alarms.map((a: any) => [a.alarm_name, a.alarm_level, a.alarm_enabled])).toEqual([['renamed', 3, false]]);
    expect(listed.body.meta_data).toEqual({ count: 1, marker: id, total: 1 });
    expect((await ces(p, 'GET', '/quotas')).body).toEqual({ quotas: { resources: [{ type: 'alarm', used: 1, unit: '', quota: 100 }] } });
    expect((await ces(p, 'DELETE', `/alarms/${id}`)).status).toBe(204);
    const gone = await ces(p, 'GET', `/alarms/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.details.code).toBe('ces.0016');
  });

  it('refuses bad rules with the reason, and notification actions naming no topic of the project', async () => {
    const p = await computeProject('cesa');
    const refused = async (body: unknown, words: RegExp) => {
      const res = await ces(p, 'POST', '/alarms', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.message).toMatch(words);
    };
    await refused(rule({ period: 60 }), /period is one of 1, 300/);
    await refused(rule({ count: 6 }), /count/);
    await refused(rule({ comparison_operator: '!=' }), /comparison_operator/);
    await refused(rule({}, { alarm_name: 'a b' }), /alarm name/);
    await refused(rule({}, { alarm_actions: [{ type: 'notification', notificationList: ['urn:smn:eu-west-0:p:t'] }] }), /does not exist/);
    await refused(rule({}, { ok_actions: [{ type: 'notification', notificationList: [] }] }), /at least one SMN topic/);
    expect((await ces(p, 'GET', '/alarms')).body.metric_alarms).toEqual([]);
  });
});

describe('alarm evaluation', () => {
  it('alarms when the last periods all breach, recovers, lacks data, and keeps each change with its datapoints', async () => {
    const p = await computeProject('cesa');
    const start = Date.now() - 3_600_000 - ((Date.now() - 3_600_000) % FIVE_MIN);
    await postPeriods(p, start, [20, 30, 5]);
    const id = (await ces(p, 'POST', '/alarms', rule({}))).body.alarm_id;
    // After two periods, both above 10: alarm, and its action fires.
    const first = await evaluate(p, start + 2 * FIVE_MIN + 1);
    expect(first).toEqual({
      ok: [expect.objectContaining({ alarmId: id, state: 'alarm', actions: [{ type: 'autoscaling', notificationList: [] }] })],
    });
    // The third period (5) breaks the run: ok (no ok actions, so nothing fires).
    expect(await evaluate(p, start + 3 * FIVE_MIN + 1)).toEqual({ ok: [] });
    // Long after the last point: no data.
    await evaluate(p, start + 20 * FIVE_MIN);
    const history = await ces(p, 'GET', `/alarm-histories?alarm_id=${id}`);
    expect(history.body.alarm_histories.map((h: any) => [h.previous_status, h.status, h.datapoints.map((d: any) => d.value)])).toEqual([
      ['ok', 'insufficient_data', []],
      ['alarm', 'ok', [30, 5]],
      ['insufficient_data', 'alarm', [20, 30]],
    ]);
    expect((await ces(p, 'GET', `/alarms/${id}`)).body.metric_alarms[0].alarm_state).toBe('insufficient_data');
  });

  it('fires again every suppress_duration while in alarm, never while disabled', async () => {
    const p = await computeProject('cesa');
    const start = Date.now() - 3_600_000 - ((Date.now() - 3_600_000) % FIVE_MIN);
    await postPeriods(p, start, [20, 30, 40, 50]);
    const id = (await ces(p, 'POST', '/alarms', rule({ count: 1, suppress_duration: 600 }))).body.alarm_id;
    const fired = async (at: number) => ((await evaluate(p, at)) as { ok: unknown[] }).ok.length;
    expect(await fired(start + FIVE_MIN + 1)).toBe(1);
    expect(await fired(start + 2 * FIVE_MIN + 1)).toBe(0);
    expect(await fired(start + 3 * FIVE_MIN + 1)).toBe(1);
    expect((await ces(p, 'PUT', `/alarms/${id}/action`, { alarm_enabled: false })).status).toBe(204);
    expect(await fired(start + 5 * FIVE_MIN + 1)).toBe(0);
  });

  it('goes off when a guest’s workload raises its CPU, from the host agent’s samples', async () => {
    const p = await computeProject('cesa');
    const s = await activeServer(p);
    await ces(p, 'PUT', `/load-profiles/${s.id}`, { load_profile: { shape: 'constant', level: 90 } });
    const id = (
      await ces(p, 'POST', '/alarms', {
        alarm_name: 'hot',
        metric: { namespace: 'SYS.ECS', metric_name: 'cpu_util', dimensions: [{ name: 'instance_id', value: s.id }] },
        condition: { period: 1, filter: 'average', comparison_operator: '>=', value: 80, unit: '%', count: 2 },
      })
    ).body.alarm_id;
    const t = Date.now() - (Date.now() % 60_000) + 120_000;
    const hostId = (await bindings.TENANT.getByName(p.project).server(s.id))!.hostId!;
    await bindings.HOST.getByName(hostId).collect(t);
    await evaluate(p, t);
    expect((await ces(p, 'GET', `/alarms/${id}`)).body.metric_alarms[0].alarm_state).toBe('alarm');
  });

  it('keeps evaluating when an owner of an action cannot be reached: the state is kept, the action logged', async () => {
    const p = await computeProject('cesa');
    const start = Date.now() - 3 * FIVE_MIN;
    const made = await ces(p, 'POST', '/alarms', rule({ count: 1 }));
    await postPeriods(p, start - (start % FIVE_MIN), [50]);
    const stub = bindings.CES.getByName(p.project);
    // Auto Scaling unreachable for this object: its alarmFired throws.
    await runInDurableObject(stub, (instance) => {
      const self = instance as unknown as { env: Record<string, unknown> };
      self.env = { ...self.env, AS: { getByName: () => ({ alarmFired: () => Promise.reject(new Error('unreachable')) }) } };
    });
    const r = await stub.evaluate(start - (start % FIVE_MIN) + FIVE_MIN + 1);
    expect('ok' in r && r.ok.map((f) => [f.alarmId, f.state])).toEqual([[made.body.alarm_id, 'alarm']]);
    expect((await ces(p, 'GET', `/alarms/${made.body.alarm_id}`)).body.metric_alarms[0].alarm_state).toBe('alarm');
  });
});
