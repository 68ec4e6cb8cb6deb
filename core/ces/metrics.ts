/**
 * Cloud Eye's metric points and the metrics each service reports, by Cloud Eye's names: a point is one value of one
 * metric (namespace, name, dimensions) at one time. The Worker, the host agents and the CesDO share this shape.
 */

export interface Dimension {
  name: string;
  value: string;
}

export interface MetricPoint {
  namespace: string;
  metric_name: string;
  dimensions: Dimension[];
  unit: string;
  /** Integers roll up to whole numbers, floats to two decimals, both cut (as Cloud Eye does). */
  type: 'int' | 'float';
  value: number;
  /** Epoch ms. */
  collect_time: number;
  /** How long the raw point is kept, in seconds (custom metrics say; Cloud Eye keeps raw data two days). */
  ttl?: number;
}

/** A metric a service reports: its unit and value type. */
export interface MetricSpec {
  unit: string;
  type: 'int' | 'float';
}

/** The metrics of the services that report them, by namespace. */
export const SYSTEM_METRICS: Record<string, Record<string, MetricSpec>> = {
  // Dimension instance_id: the server.
  'SYS.ECS': {
    cpu_util: { unit: '%', type: 'float' },
    mem_util: { unit: '%', type: 'float' },
    disk_read_bytes_rate: { unit: 'byte/s', type: 'float' },
    disk_write_bytes_rate: { unit: 'byte/s', type: 'float' },
    network_incoming_bytes_rate_inband: { unit: 'byte/s', type: 'float' },
    network_outgoing_bytes_rate_inband: { unit: 'byte/s', type: 'float' },
  },
  // Dimension disk_name: `<server id>-<device>` (vda, vdb, ...), as Cloud Eye names an attached disk.
  'SYS.EVS': {
    disk_device_read_bytes_rate: { unit: 'byte/s', type: 'float' },
    disk_device_write_bytes_rate: { unit: 'byte/s', type: 'float' },
  },
  // Dimension lbaas_instance_id: the load balancer (durable/elb/metrics.ts).
  'SYS.ELB': {
    m1_cps: { unit: 'count', type: 'int' },
    ma_normal_servers: { unit: 'count', type: 'int' },
    m9_abnormal_servers: { unit: 'count', type: 'int' },
    mb_l7_qps: { unit: 'count/s', type: 'float' },
  },
  // Dimension AutoScalingGroup: the group; its instances in service, and their average load (durable/as.ts).
  'SYS.AS': {
    instance_num: { unit: 'count', type: 'int' },
    cpu_util: { unit: '%', type: 'float' },
    mem_util: { unit: '%', type: 'float' },
  },
  // Dimension publicip_id: the elastic IP; up is out of the cloud.
  'SYS.VPC': {
    upstream_bandwidth: { unit: 'bit/s', type: 'float' },
    downstream_bandwidth: { unit: 'bit/s', type: 'float' },
    upstream_bandwidth_usage: { unit: '%', type: 'float' },
    up_stream: { unit: 'byte', type: 'int' },
    down_stream: { unit: 'byte', type: 'int' },
  },
};

/** Cloud Eye's periods in seconds: 1 is raw data, the others its rollups. */
export const PERIODS = [1, 300, 1200, 3600, 14400, 86400] as const;
export const ROLLUP_PERIODS = PERIODS.filter((p) => p !== 1);

/** The statistics a rollup answers. */
export const STATISTICS = ['average', 'max', 'min', 'sum', 'variance'] as const;
export type Statistic = (typeof STATISTICS)[number];

/** Whether a namespace is a service's (SYS.*, AGT.*) and so closed to custom metrics. */
export const isSystemNamespace = (namespace: string) => /^(SYS|AGT)\./.test(namespace);

/** A point of a system metric (its unit and type from the table). */
export function systemPoint(namespace: string, metric: string, dimensions: Dimension[], value: number, at: number): MetricPoint {
  const spec = SYSTEM_METRICS[namespace]?.[metric];
  if (!spec) throw new Error(`no system metric ${namespace} ${metric}`);
  return { namespace, metric_name: metric, dimensions, unit: spec.unit, type: spec.type, value, collect_time: at };
}

/** The canonical key of a series: namespace, metric and dimensions by name (a query may list them in any order). */
export function seriesKey(p: Pick<MetricPoint, 'namespace' | 'metric_name' | 'dimensions'>): string {
  const dims = p.dimensions.map((d) => `${d.name},${d.value}`).sort();
  return [p.namespace, p.metric_name, ...dims].join('|');
}

/** The marker of a metric in a list, as Cloud Eye writes it: `namespace.metric.name:value...`. */
export function markerOf(s: { namespace: string; metricName: string; dimensions: Dimension[] }): string {
  return [s.namespace, s.metricName, ...s.dimensions.map((d) => `${d.name}:${d.value}`)].join('.');
}
