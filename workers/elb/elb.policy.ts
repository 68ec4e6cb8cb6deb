/**
 * The policy actions of Elastic Load Balance (LBaaS v2 at `/elb/v2.0/lbaas`, and the local data plane at
 * `/elb/data`): each with what it allows, its scope and the operations (method, path) it covers. Routes name them
 * in `act()`; the route-table test checks the operations against the routes.
 */
import { type ActionSpec, defineActions } from '../auth/actions.ts';

const V = '/elb/v2.0/lbaas';

type Verb = 'create' | 'list' | 'get' | 'update' | 'delete';

/**
 * create, list, get, update and delete of one LBaaS collection, at `path` (its item at `path/{item}`), with the
 * Console's operations of each (`more`).
 */
function crud<const K extends string>(
  kind: K,
  path: string,
  more: Partial<Record<Verb, string[]>> = {},
): Record<`${K}:${Verb}`, ActionSpec> {
  const item = '{id}';
  const op = (verb: Verb, description: string, first: string): ActionSpec => ({
    description,
    scope: 'project',
    operations: [first, ...(more[verb] ?? [])],
  });
  const table: Record<string, ActionSpec> = {
    [`${kind}:create`]: op('create', `Create ${kind}`, `POST ${V}${path}`),
    [`${kind}:list`]: op('list', `List ${kind}`, `GET ${V}${path}`),
    [`${kind}:get`]: op('get', `Show ${kind}`, `GET ${V}${path}/${item}`),
    [`${kind}:update`]: op('update', `Change ${kind}`, `PUT ${V}${path}/${item}`),
    [`${kind}:delete`]: op('delete', `Delete ${kind}`, `DELETE ${V}${path}/${item}`),
  };
  return table as Record<`${K}:${Verb}`, ActionSpec>;
}

const DATA = '/elb/data/{loadbalancer_id}/{protocol_port}/*';

export const elbActions = defineActions('elb', {
  ...crud('loadbalancers', '/loadbalancers', {
    create: ['POST /console/elb/loadbalancers'],
    list: ['GET /console/elb', 'GET /console/elb/loadbalancers', 'GET /console/elb/loadbalancers/rows'],
    delete: ['POST /console/elb/loadbalancers/{loadbalancer_id}/delete'],
  }),
  'loadbalancers:get': {
    description: 'Show load balancers, their status tree and statistics',
    scope: 'project',
    operations: [
      `GET ${V}/loadbalancers/{id}`,
      `GET ${V}/loadbalancers/{id}/status`,
      `GET ${V}/loadbalancers/{id}/statuses`,
      `GET ${V}/loadbalancers/{id}/stats`,
      'GET /console/elb/loadbalancers/{loadbalancer_id}',
      'GET /console/elb/loadbalancers/{loadbalancer_id}/tree',
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
