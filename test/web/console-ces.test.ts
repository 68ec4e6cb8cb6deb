/**
 * The Console's Cloud Eye section as a user sees it: the metrics a server reports listed, one charted over a window
 * (an SVG with a point per datapoint and a description that reads the figures), and the alarm rules with their
 * states. Another tenant sees none of them.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { activeServer, bindings, computeProject } from '../ecs/fixtures.ts';
import { newAccount } from '../fixtures.ts';
import { send } from '../request.ts';
import { signIn } from './console.ts';
import { fieldError, follow, words } from './console-pages.ts';

/** A page's text as it reads: tags gone, spaces folded. */
const text = (html: string) =>
  words(
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&gt;/g, '>')
      .replace(/&lt;/g, '<'),
  ).replace(/\s+/g, ' ');

describe('the Console’s Cloud Eye section', () => {
  it('lists the metrics, charts one over a window, and shows the alarm rules with their states', async () => {
    const p = await computeProject('console-ces');
    const server = await activeServer(p, { name: 'web-1' });
    const v1 = `/ces/V1.0/${p.project}`;
    await send(p.token, 'PUT', `${v1}/load-profiles/${server.id}`, { load_profile: { shape: 'constant', level: 70 } });
    const now = Date.now();
    const hostId = (await bindings.TENANT.getByName(p.project).server(server.id))!.hostId!;
    // As if the server had run for ten minutes: the agent reports the samples since (up to ten at a time).
    const host = bindings.HOST.getByName(hostId);
    await runInDurableObject(host, (_, state: DurableObjectState) => {
      state.storage.sql.exec('UPDATE instances SET collected_until = ? WHERE server_id = ?', now - 10 * 60_000, server.id);
    });
    await host.collect(now);
    await send(p.token, 'POST', `${v1}/alarms`, {
      alarm_name: 'hot-web',
      metric: { namespace: 'SYS.ECS', metric_name: 'cpu_util', dimensions: [{ name: 'instance_id', value: server.id }] },
      condition: { period: 1, filter: 'average', comparison_operator: '>', value: 50, unit: '%', count: 1 },
    });
    await bindings.CES.getByName(p.project).evaluate(now);

    const s = await signIn(p.account);
    const list = await s.page('/console/ces/metrics');
    expect(list.status).toBe(200);
    expect(text(list.html)).toContain(`SYS.ECS cpu_util instance_id=${server.id} %`);
    const href = /href="(\/console\/ces\/metrics\/chart\?[^"]*metric_name=cpu_util[^"]*)"/.exec(list.html)![1]!.replaceAll('&amp;', '&');
    const chart = await s.page(href);
    expect(chart.status).toBe(200);
    const raw = await send(
      p.token,
      'GET',
      `${v1}/metric-data?namespace=SYS.ECS&metric_name=cpu_util&dim.0=instance_id,${server.id}&from=${now - 3_600_000}&to=${now + 1}&period=1&filter=average`,
    );
    const count = raw.body.datapoints.length;
    expect(count).toBeGreaterThan(0);
    expect(chart.html.match(/<circle /g)?.length).toBe(count);
    expect(text(chart.html)).toContain('lowest 70, highest 70 %; last 70 %.');
    const alarms = await s.page('/console/ces/alarms');
    expect(text(alarms.html)).toContain('hot-web ALARM SYS.ECS cpu_util average over 1 s > 50 %, 1 period yes');

    const other = await signIn(await newAccount('console-ces-other'));
    expect(text((await other.page('/console/ces/metrics')).html)).toContain('No metrics reported in the last hour.');
    expect(text((await other.page('/console/ces/alarms')).html)).toContain('No alarm rules yet.');
  });

  it('sets a server’s workload from its form, shows a refusal next to its field, and reaches no other tenant’s server', async () => {
    const p = await computeProject('console-ces');
    const server = await activeServer(p, { name: 'worker-1' });
    const s = await signIn(p.account);
    const fields = { server: server.id, shape: 'constant', level: '80', min: '10', max: '90', period: '600', network_out: '1000' };
    const set = await s.post('/console/ces/workloads', fields);
    expect(await follow(s, set)).toContain('The workload is set');
    expect(text((await s.page('/console/ces/workloads')).html)).toContain('worker-1 constant 80 %, sends up to 1000 B/s');
    const applied = await send(p.token, 'GET', `/ces/V1.0/${p.project}/load-profiles/${server.id}`);
    expect(applied.body.load_profile).toMatchObject({ shape: 'constant', level: 80, network_out_bytes_rate: 1000 });

    const inverted = await s.post('/console/ces/workloads', { ...fields, shape: 'sine', min: '90', max: '10' });
    expect(inverted.status).toBe(400);
    expect(fieldError(inverted, 'min')).toBe('The lowest level is at most the highest.');

    const other = await computeProject('console-ces-other');
    const theirs = await activeServer(other, { name: 'theirs' });
    const refused = await s.post('/console/ces/workloads', { ...fields, server: theirs.id });
    expect(refused.status).toBe(404);
    expect((await send(other.token, 'GET', `/ces/V1.0/${other.project}/load-profiles/${theirs.id}`)).body.load_profile).toBeNull();
  });
});
