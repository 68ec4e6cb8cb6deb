/**
 * The policy actions of RTS (Heat's operations under `rts:`): stacks and what hangs off them (resources, events,
 * outputs, the template), and the template tools. A stack's steps are authorised again, action by action, against
 * the owner's rights in the project when they run (workers/rts/rights.ts).
 */
import { defineActions } from '../auth/actions.ts';

const V1 = '/rts/v1/{project_id}';
const STACK = `${V1}/stacks/{stack_name}/{stack_id}`;

export const rtsActions = defineActions('rts', {
  'stacks:create': {
    description: 'Create stacks from templates',
    scope: 'project',
    operations: [`POST ${V1}/stacks`],
  },
  'stacks:list': {
    description: "List the project's stacks",
    scope: 'project',
    operations: [`GET ${V1}/stacks`, `GET ${V1}/stacks/detail`],
  },
  'stacks:get': {
    description: 'Show stacks: their outputs, template, environment, resources and events',
    scope: 'project',
    operations: [
      `GET ${V1}/stacks/{stack_name}`,
      `GET ${STACK}`,
      `GET ${STACK}/outputs`,
      `GET ${STACK}/outputs/{output_key}`,
      `GET ${STACK}/template`,
      `GET ${STACK}/environment`,
      `GET ${STACK}/files`,
      `GET ${STACK}/resources`,
      `GET ${STACK}/resources/{resource_name}`,
      `GET ${STACK}/resources/{resource_name}/metadata`,
      `GET ${STACK}/events`,
      `GET ${STACK}/resources/{resource_name}/events`,
      `GET ${STACK}/resources/{resource_name}/events/{event_id}`,
    ],
  },
  'stacks:delete': {
    description: 'Delete stacks and every resource they made (but those their template retains)',
    scope: 'project',
    operations: [`DELETE ${V1}/stacks/{stack_name}`, `DELETE ${STACK}`],
  },
  'templates:validate': {
    description: 'Validate templates',
    scope: 'project',
    operations: [`POST ${V1}/validate`],
  },
  'templates:list': {
    description: 'List the template versions and their functions, and the resource types',
    scope: 'project',
    operations: [`GET ${V1}/template_versions`, `GET ${V1}/template_versions/{template_version}/functions`, `GET ${V1}/resource_types`],
  },
});
