/**
 * The policy actions of Cloud Eye (Huawei's names where it has them: `ces:metrics:list`, `ces:metricData:list`,
 * `ces:metricData:create`), and the workload a simulated guest runs, which Cloud Eye's metrics come from. Each lists
 * the operations (method, path) it covers.
 */
import { defineActions } from '../auth/actions.ts';

const V1 = '/ces/V1.0/{project_id}';

export const cesActions = defineActions('ces', {
  'metrics:list': {
    description: 'List the metrics the project reports',
    scope: 'project',
    operations: [`GET ${V1}/metrics`, 'GET /console/ces', 'GET /console/ces/metrics'],
  },
  'metricData:list': {
    description: "Read metrics' data points, raw or rolled up",
    scope: 'project',
    operations: [`GET ${V1}/metric-data`, `POST ${V1}/batch-query-metric-data`, 'GET /console/ces/metrics/chart'],
  },
  'metricData:create': {
    description: 'Report custom metrics',
    scope: 'project',
    operations: [`POST ${V1}/metric-data`],
  },
  'alarms:create': {
    description: 'Create alarm rules',
    scope: 'project',
    operations: [`POST ${V1}/alarms`],
  },
  'alarms:list': {
    description: 'List alarm rules and their history',
    scope: 'project',
    operations: [`GET ${V1}/alarms`, `GET ${V1}/alarm-histories`, 'GET /console/ces/alarms'],
  },
  'alarms:get': {
    description: 'Show alarm rules',
    scope: 'project',
    operations: [`GET ${V1}/alarms/{alarm_id}`],
  },
  'alarms:update': {
    description: 'Change, enable or disable alarm rules',
    scope: 'project',
    operations: [`PUT ${V1}/alarms/{alarm_id}`, `PUT ${V1}/alarms/{alarm_id}/action`],
  },
  'alarms:delete': {
    description: 'Delete alarm rules',
    scope: 'project',
    operations: [`DELETE ${V1}/alarms/{alarm_id}`],
  },
  'quotas:get': {
    description: "Show Cloud Eye's quotas",
    scope: 'project',
    operations: [`GET ${V1}/quotas`],
  },
  'loadProfiles:get': {
    description: 'Show the workload a simulated server runs',
    scope: 'project',
    operations: [`GET ${V1}/load-profiles/{server_id}`, 'GET /console/ces/workloads'],
  },
  'loadProfiles:put': {
    description: 'Set or clear the workload a simulated server runs (its metrics and traffic follow it)',
    scope: 'project',
    operations: [`PUT ${V1}/load-profiles/{server_id}`, `DELETE ${V1}/load-profiles/{server_id}`, 'POST /console/ces/workloads'],
  },
});
