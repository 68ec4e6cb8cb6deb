/**
 * The policy actions of Auto Scaling, Huawei's names (`as:groups:create`, `as:configs:list`, `as:policies:execute`,
 * `as:instances:delete`), each with the operations (method, path) it covers.
 */
import { defineActions } from '../auth/actions.ts';

const V1 = '/as/autoscaling-api/v1/{project_id}';

export const asActions = defineActions('as', {
  'configs:create': {
    description: 'Create scaling configurations',
    scope: 'project',
    operations: [`POST ${V1}/scaling_configuration`],
  },
  'configs:list': {
    description: 'List and show scaling configurations',
    scope: 'project',
    operations: [`GET ${V1}/scaling_configuration`, `GET ${V1}/scaling_configuration/{scaling_configuration_id}`],
  },
  'configs:delete': {
    description: 'Delete scaling configurations, one or several',
    scope: 'project',
    operations: [`DELETE ${V1}/scaling_configuration/{scaling_configuration_id}`, `POST ${V1}/scaling_configurations`],
  },
  'groups:create': {
    description: 'Create scaling groups',
    scope: 'project',
    operations: [`POST ${V1}/scaling_group`],
  },
  'groups:list': {
    description: 'List and show scaling groups, their activity logs, tags and the quotas',
    scope: 'project',
    operations: [
      `GET ${V1}/scaling_group`,
      `GET ${V1}/scaling_group/{scaling_group_id}`,
      `GET ${V1}/scaling_activity_log/{scaling_group_id}`,
      `GET ${V1}/scaling_group_tag/{scaling_group_id}/tags`,
      `GET ${V1}/quotas`,
      'GET /console/as',
      'GET /console/as/groups',
      'GET /console/as/groups/rows',
      'GET /console/as/groups/{scaling_group_id}',
      'GET /console/as/groups/{scaling_group_id}/live',
    ],
  },
  'groups:update': {
    description: 'Change scaling groups, pause and resume them, tag them',
    scope: 'project',
    operations: [
      `PUT ${V1}/scaling_group/{scaling_group_id}`,
      `POST ${V1}/scaling_group/{scaling_group_id}/action`,
      `POST ${V1}/scaling_group_tag/{scaling_group_id}/tags/action`,
      'POST /console/as/groups/{scaling_group_id}/desired',
    ],
  },
  'groups:delete': {
    description: 'Delete scaling groups (with force_delete, with their instances)',
    scope: 'project',
    operations: [`DELETE ${V1}/scaling_group/{scaling_group_id}`],
  },
  'policies:create': {
    description: 'Create scaling policies',
    scope: 'project',
    operations: [`POST ${V1}/scaling_policy`],
  },
  'policies:list': {
    description: 'List and show scaling policies',
    scope: 'project',
    operations: [`GET ${V1}/scaling_policy/{scaling_group_id}/list`, `GET ${V1}/scaling_policy/{scaling_policy_id}`],
  },
  'policies:update': {
    description: 'Change scaling policies, pause and resume them',
    scope: 'project',
    operations: [`PUT ${V1}/scaling_policy/{scaling_policy_id}`],
  },
  'policies:execute': {
    description: 'Run, pause or resume scaling policies',
    scope: 'project',
    operations: [`POST ${V1}/scaling_policy/{scaling_policy_id}/action`, 'POST /console/as/policies/{scaling_policy_id}/execute'],
  },
  'policies:delete': {
    description: 'Delete scaling policies',
    scope: 'project',
    operations: [`DELETE ${V1}/scaling_policy/{scaling_policy_id}`],
  },
  'instances:list': {
    description: "List a scaling group's instances",
    scope: 'project',
    operations: [`GET ${V1}/scaling_group_instance/{scaling_group_id}/list`],
  },
  'instances:delete': {
    description: 'Remove instances from scaling groups (deleting their servers or not)',
    scope: 'project',
    operations: [`DELETE ${V1}/scaling_group_instance/{instance_id}`],
  },
  'instances:update': {
    description: 'Add, remove, protect or unprotect instances of scaling groups in batches',
    scope: 'project',
    operations: [`POST ${V1}/scaling_group_instance/{scaling_group_id}/action`],
  },
});
