/**
 * Cloud Eye's notification actions through SMN, in workerd: a rule names SMN topics of its project (another
 * project's topic, or one that is not there, is refused with Cloud Eye's error); when the rule crosses its
 * threshold, a confirmed webhook subscription of the topic receives Cloud Eye's alarm message, signed so that it
 * verifies against the served key, once however often that change is evaluated; its recovery goes to its ok actions.
 */
import { describe, expect, it } from 'vitest';
import { bindings, computeProject } from '../ecs/fixtures.ts';
import { send } from '../request.ts';
import { confirmedWebhook, receiver, type SmnProject, smnProject, topic, until } from '../smn/fixtures.ts';

const FIVE_MIN = 300_000;
const metric = { namespace: 'MINE.app', metric_name: 'errors', dimensions: [{ name: 'app', value: 'shop' }] };

describe('notification actions', () => {
  it('publish the alarm message to the topic: a confirmed webhook gets it signed, once per change', async () => {
    const c = await computeProject('cesn');
    const p: SmnProject = { token: c.token, project: c.project };
    const ces = (method: string, path: string, body?: unknown) => send(p.token, method, `/ces/V1.0/${p.project}${path}`, body);
    const urn = await topic(p, 'pager');
    const hook = receiver('pager.test');
    await confirmedWebhook(p, urn, hook, 'http://pager.test/alarms');
    const start = Date.now() - 3_600_000 - ((Date.now() - 3_600_000) % FIVE_MIN);
    const points = [50, 60, 1].map((value, i) => ({ metric, ttl: 86_400, collect_time: start + i * FIVE_MIN + 1000, value, type: 'int' }));
    expect((await ces('POST', '/metric-data', points)).status).toBe(201);
    const made = await ces('POST', '/alarms', {
      alarm_name: 'errors-high',
      metric,
      condition: { period: 300, filter: 'average', comparison_operator: '>', value: 10, count: 2 },
      alarm_actions: [{ type: 'notification', notificationList: [urn] }],
      ok_actions: [{ type: 'notification', notificationList: [urn] }],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const at = start + 2 * FIVE_MIN + 1;
    await bindings.CES.getByName(p.project).evaluate(at);
    await until(() => hook.received.length === 2, 'the alarm notification');
    const note = hook.received[1]!;
    expect(note.verified).toBe(true);
    expect(note.body).toMatchObject({ type: 'Notification', topic_urn: urn, subject: '[Cloud Eye] errors-high is ALARM' });
    expect(JSON.parse(note.body.message!)).toMatchObject({
      alarm_id: made.body.alarm_id,
      alarm_state: 'alarm',
      time: new Date(at).toISOString(),
    });
    // The rule's recovery goes to its ok actions, a message of its own.
    await bindings.CES.getByName(p.project).evaluate(start + 3 * FIVE_MIN + 1);
    await until(() => hook.received.length === 3, 'the ok notification');
    expect(hook.received[2]!.body.subject).toBe('[Cloud Eye] errors-high is OK');
    // The same change published again (an evaluation retried) is the same message: nothing new is delivered.
    const again = await bindings.SMN.getByName(p.project).publish({
      topicUrn: urn,
      subject: 'x',
      body: { kind: 'message', message: 'x' },
      ttl: 60,
      key: `ces:${made.body.alarm_id}:${at}:alarm:${urn}`,
    });
    expect(again).toEqual({ ok: { messageId: note.body.message_id } });
    await bindings.SMN.getByName(p.project).deliverDue(Date.now() + 3_600_000);
    expect(hook.received).toHaveLength(3);
  });

  it("refuses another project's topic, as one that does not exist", async () => {
    const c = await computeProject('cesn');
    const other = await smnProject('cesn-other');
    const theirs = await topic(other, 'theirs');
    const res = await send(c.token, 'POST', `/ces/V1.0/${c.project}/alarms`, {
      alarm_name: 'nosy',
      metric,
      condition: { period: 300, filter: 'average', comparison_operator: '>', value: 10, count: 1 },
      alarm_actions: [{ type: 'notification', notificationList: [theirs] }],
    });
    expect(res.status).toBe(400);
    expect(res.body.details.code).toBe('ces.0014');
    expect(res.body.message).toBe(`The SMN topic ${theirs} does not exist in this project.`);
  });
});
