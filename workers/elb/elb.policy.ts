/**
 * The policy actions of Elastic Load Balance (LBaaS v2 at `/elb/v2.0/lbaas`, and the local data plane at
 * `/elb/data`): each with what it allows, its scope and the operations (method, path) it covers. Routes name them
 * in `act()`; the route-table test checks the operations against the routes.
 */
import { type ActionSpec, defineActions } from '../auth/actions.ts';

const V = '/elb/v2.0/lbaas';

type Verb = 'create' | 'list' | 'get' | 'update' | 'delete';

/** create, list, get, update and delete of one LBaaS collection, at `path` (its item at `path/{item}`). */
function crud<const K extends string>(kind: K, path: string, item = '{id}'): Record<`${K}:${Verb}`, ActionSpec> {
  const table: Record<string, ActionSpec> = {
    [`${kind}:create`]: { description: `Create ${kind}`, scope: 'project', operations: [`POST ${V}${path}`] },
    [`${kind}:list`]: { description: `List ${kind}`, scope: 'project', operations: [`GET ${V}${path}`] },
    [`${kind}:get`]: { description: `Show ${kind}`, scope: 'project', operations: [`GET ${V}${path}/${item}`] },
    [`${kind}:update`]: { description: `Change ${kind}`, scope: 'project', operations: [`PUT ${V}${path}/${item}`] },
    [`${kind}:delete`]: { description: `Delete ${kind}`, scope: 'project', operations: [`DELETE ${V}${path}/${item}`] },
  };
  return table as Record<`${K}:${Verb}`, ActionSpec>;
}

const DATA = '/elb/data/{loadbalancer_id}/{protocol_port}/*';

export const elbActions = defineActions('elb', {
  ...crud('loadbalancers', '/loadbalancers'),
  'loadbalancers:get': {
    description: 'Show load balancers, their status tree and statistics',
    scope: 'project',
    operations: [
      `GET ${V}/loadbalancers/{id}`,
      `GET ${V}/loadbalancers/{id}/status`,
      `GET ${V}/loadbalancers/{id}/statuses`,
      `GET ${V}/loadbalancers/{id}/stats`,
    ],
  },
  'loadbalancers:connect': {
    description: "Send requests through a load balancer's listeners to its members (the local data plane)",
    scope: 'project',
    operations: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => `${m} ${DATA}`),
  },
  ...crud('listeners', '/listeners'),
  ...crud('pools', '/pools'),
  ...crud('members', '/pools/{pool_id}/members'),
  ...crud('healthmonitors', '/healthmonitors'),
});
