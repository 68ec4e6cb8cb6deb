/**
 * The project's load balancers' metrics (Cloud Eye's SYS.ELB, dimension `lbaas_instance_id`), published by the
 * TenantDO's alarm once per collection period while the project has a load balancer: the connections in flight
 * through it (`m1_cps`), its members in and out of health (`ma_normal_servers`, `m9_abnormal_servers`), and the
 * requests per second it served over the period (`mb_l7_qps`), from the members' served counts. The counts of the
 * previous period are kept in memory: after the object restarts, the first period publishes no rate.
 */
import { systemPoint } from '../../core/ces/metrics.ts';
import { OPERATING } from '../../core/elb/states.ts';
import { loadBalancers, members, pools } from '../../schema/tenant.ts';
import type { Saga } from '../vpc/context.ts';

/** What the previous publication counted: the period and each load balancer's requests served by then. */
export interface Published {
  period: number;
  served: Map<string, number>;
}

const HEALTHY = new Set<string>([OPERATING.ONLINE, OPERATING.NO_MONITOR]);
const SICK = new Set<string>([OPERATING.ERROR, OPERATING.OFFLINE]);

/** The SYS.ELB points of every load balancer at the period starting at `period` (epoch ms). */
export function balancerPoints(s: Saga, period: number, seconds: number, last: Published | undefined) {
  const lbs = s.db.select({ id: loadBalancers.id }).from(loadBalancers).all();
  const byPool = new Map(
    s.db
      .select({ id: pools.id, lb: pools.loadbalancerId })
      .from(pools)
      .all()
      .map((p) => [p.id, p.lb]),
  );
  const ms = s.db.select().from(members).all();
  const served = new Map<string, number>();
  const points = lbs.flatMap((lb) => {
    const mine = ms.filter((m) => byPool.get(m.poolId) === lb.id);
    const dims = [{ name: 'lbaas_instance_id', value: lb.id }];
    const total = mine.reduce((n, m) => n + m.served, 0);
    served.set(lb.id, total);
    const out = [
      systemPoint(
        'SYS.ELB',
        'm1_cps',
        dims,
        mine.reduce((n, m) => n + m.active, 0),
        period,
      ),
      systemPoint('SYS.ELB', 'ma_normal_servers', dims, mine.filter((m) => HEALTHY.has(m.operatingStatus)).length, period),
      systemPoint('SYS.ELB', 'm9_abnormal_servers', dims, mine.filter((m) => SICK.has(m.operatingStatus)).length, period),
    ];
    const before = last?.served.get(lb.id);
    if (before !== undefined && total >= before) out.push(systemPoint('SYS.ELB', 'mb_l7_qps', dims, (total - before) / seconds, period));
    return out;
  });
  return { points, published: { period, served } };
}

/**
 * Publishes the load balancers' points once per collection period; answers what it published (for the next
 * period's rates) and when the next period starts, or null when the project has no load balancer.
 */
export async function publishBalancerMetrics(s: Saga, now: number, last: Published | undefined) {
  const every = Number(s.env.CES_COLLECT_MS || 60_000);
  const period = now - (now % every);
  if (!s.db.select({ id: loadBalancers.id }).from(loadBalancers).limit(1).get()) return { published: undefined, next: null };
  if (last && last.period >= period) return { published: last, next: period + every };
  const { points, published } = balancerPoints(s, period, every / 1000, last && last.period === period - every ? last : undefined);
  try {
    if (points.length) await s.env.CES.getByName(s.projectId).ingest(points);
  } catch (err) {
    // Metrics are not worth the TenantDO's alarm: a period Cloud Eye could not take is lost, and said so.
    console.error(`the load balancers' metrics of ${period} were not published: ${err instanceof Error ? err.message : err}`);
    return { published: undefined, next: period + every };
  }
  return { published, next: period + every };
}
