/**
 * Load balancers' metrics in Cloud Eye (SYS.ELB, dimension lbaas_instance_id): the TenantDO's alarm publishes each
 * collection period the connections in flight, the members in and out of health, and, from the second period on,
 * the requests per second the listener served.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { balancerPoints } from '../../durable/elb/metrics.ts';
import { activeServer, bindings, computeProject, sleep } from '../ecs/fixtures.ts';
import { call, send } from '../request.ts';
import { child, httpTree } from './fixtures.ts';

const PERIOD = 60_000;

describe('load balancer metrics', () => {
  it('are published per period: connections, healthy and unhealthy members, and requests per second', async () => {
    const p = await computeProject('elbm');
    const s = await activeServer(p, { name: 'metered' });
    const address = s.addresses[p.network.name][0].addr as string;
    const { lb, pool } = await httpTree(p);
    await child(p, lb.id, `pools/${pool.id}/members`, 'member', { address, protocol_port: 80 });
    await child(p, lb.id, `pools/${pool.id}/members`, 'member', { address: '10.0.0.250', protocol_port: 80, admin_state_up: false });
    const data = async (metric: string, from: number) =>
      (
        await send(
          p.token,
          'GET',
          `/ces/V1.0/${p.project}/metric-data?namespace=SYS.ELB&metric_name=${metric}&dim.0=lbaas_instance_id,${lb.id}&from=${from}&to=${Date.now() + PERIOD}&period=1&filter=average`,
        )
      ).body.datapoints as { timestamp: number; average: number }[];
    // The alarm that settled the tree published the period's points (as the tree was then).
    const period = Date.now() - (Date.now() % PERIOD);
    let published: unknown[] = [];
    for (let i = 0; i < 50 && !published.length; i++) {
      published = await data('ma_normal_servers', period - PERIOD);
      if (!published.length) await sleep(100);
    }
    expect(published.length).toBe(1);

    // Six requests through the listener, then the points of a period that began with none served.
    for (let i = 0; i < 6; i++) expect((await call(`/elb/data/${lb.id}/80/`, { token: p.token })).status).toBe(200);
    const points = await runInDurableObject(bindings.TENANT.getByName(p.project), (instance) => {
      const saga = (instance as unknown as { saga: Parameters<typeof balancerPoints>[0] }).saga;
      return balancerPoints(saga, period, 60, { period: period - PERIOD, served: new Map([[lb.id, 0]]) }).points;
    });
    const value = (metric: string) => points.find((x) => x.metric_name === metric)?.value;
    expect([value('m1_cps'), value('ma_normal_servers'), value('m9_abnormal_servers'), value('mb_l7_qps')]).toEqual([0, 1, 1, 0.1]);
    expect(points.every((x) => x.namespace === 'SYS.ELB' && x.collect_time === period)).toBe(true);
  });
});
