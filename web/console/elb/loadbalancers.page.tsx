/**
 * The Console's load balancer list (live rows: one being created or deleted is followed without a reload) with
 * the create form, and a load balancer's page: its VIP and its status tree (listeners, pools, members with the
 * health the monitor sees), live while anything in it is pending. Both read through the ELB use cases.
 */
import type { LoadBalancer } from '../../../schema/tenant.ts';
import { balancing, vipSubnets } from '../../../workers/elb/usecases/loadbalancers.ts';
import type { Graph } from '../../../workers/elb/views.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { notFound } from '../../../workers/lib/errors.ts';
import { ActionButton, Actions, ConsolePage, Empty, type Failure, Field, Form, Live, Refusal, Select, Status, Table } from '../kit.tsx';

const HEAD = ['Name', 'Status', 'Health', 'VIP address', 'Listeners', 'Actions'];

/** The rows of the load balancer table (the live region's content). */
export function LoadBalancerRows({ c, g }: { c: AppContext; g: Graph }) {
  if (!g.loadbalancers.length) return <Empty cols={HEAD.length}>No load balancers yet.</Empty>;
  const sorted = [...g.loadbalancers].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return (
    <>
      {sorted.map((lb) => (
        <tr data-loadbalancer={lb.id}>
          <td>
            <a href={`/console/elb/loadbalancers/${lb.id}`}>{lb.name || lb.id}</a>
          </td>
          <td>
            <Status value={lb.provisioningStatus} />
          </td>
          <td>{lb.operatingStatus}</td>
          <td>{lb.vipAddress}</td>
          <td>
            {g.listeners
              .filter((l) => l.loadbalancerId === lb.id)
              .map((l) => `${l.protocol}:${l.protocolPort}`)
              .join(', ') || '—'}
          </td>
          <td>
            <Actions>
              {lb.provisioningStatus === 'ACTIVE' && (
                <ActionButton
                  c={c}
                  action={`/console/elb/loadbalancers/${lb.id}/delete`}
                  label="Delete"
                  danger
                  title={`Delete ${lb.name || lb.id}`}
                />
              )}
            </Actions>
          </td>
        </tr>
      ))}
    </>
  );
}

/** The rows alone, for the live region's polls. */
export async function renderLoadBalancerRows(c: AppContext) {
  return c.html(<LoadBalancerRows c={c} g={await balancing(callerOf(c))} />);
}

/** The list with the create form (its refusal next to its field, or any other refusal at the top). */
export async function renderLoadBalancers(c: AppContext, failure?: Failure, on?: 'create') {
  const caller = callerOf(c);
  const [g, subnets] = await Promise.all([balancing(caller), vipSubnets(caller)]);
  const create = on === 'create' ? failure : undefined;
  return c.html(
    <ConsolePage c={c} title="Load balancers" section="elb">
      <h1>Elastic Load Balance</h1>
      <Refusal failure={failure} shown={on} />
      <Table caption="Load balancers" head={HEAD}>
        <Live src="/console/elb/loadbalancers/rows" as="tbody" label="Load balancers">
          <LoadBalancerRows c={c} g={g} />
        </Live>
      </Table>
      <h2>Create a load balancer</h2>
      <Form c={c} action="/console/elb/loadbalancers" submit="Create load balancer" failure={create} label="Create a load balancer">
        <Field name="name" label="Name" failure={create} required />
        <Select
          name="subnet"
          label="Subnet of the VIP"
          options={subnets.map((s) => ({ value: s.id, label: `${s.name || s.id} (${s.cidr})` }))}
          none="Choose a subnet"
          required
          failure={create}
        />
        <Field name="vip_address" label="VIP address (optional)" failure={create} />
      </Form>
    </ConsolePage>,
  );
}

/** The project's rows with the load balancer the path names, or the Console's 404 (another project's is as missing). */
async function loadBalancerOfPath(c: AppContext): Promise<{ g: Graph; lb: LoadBalancer }> {
  const id = c.req.param('loadbalancer_id') ?? '';
  const g = await balancing(callerOf(c));
  const lb = g.loadbalancers.find((x) => x.id === id);
  if (!lb) throw notFound(`There is no load balancer ${id} in this project.`);
  return { g, lb };
}

/** The status tree: each listener, its pool with algorithm and monitor, and each member's health. */
export function LoadBalancerTree({ g, lb }: { g: Graph; lb: LoadBalancer }) {
  const listeners = g.listeners.filter((l) => l.loadbalancerId === lb.id);
  const pools = g.pools.filter((p) => p.loadbalancerId === lb.id);
  return (
    <>
      <dl class="facts">
        <dt>Status</dt>
        <dd data-loadbalancer={lb.id}>
          <Status value={lb.provisioningStatus} /> {lb.operatingStatus}
        </dd>
        <dt>ID</dt>
        <dd>{lb.id}</dd>
        <dt>VIP address</dt>
        <dd>{lb.vipAddress}</dd>
      </dl>
      <Table caption="Listeners" head={['Listener', 'Status', 'Pool', 'Algorithm', 'Health monitor']}>
        <tbody>
          {listeners.length === 0 && <Empty cols={5}>No listeners yet.</Empty>}
          {listeners.map((l) => {
            const p = pools.find((x) => x.id === l.defaultPoolId);
            const h = p && g.healthmonitors.find((x) => x.poolId === p.id);
            return (
              <tr data-listener={l.id}>
                <td>{`${l.name || l.id} (${l.protocol}:${l.protocolPort})`}</td>
                <td>
                  <Status value={l.provisioningStatus} />
                </td>
                <td>{p ? `${p.name || p.id} (${p.operatingStatus})` : '—'}</td>
                <td>{p?.lbAlgorithm ?? '—'}</td>
                <td>{h ? `${h.type} every ${h.delay} s` : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <Table caption="Members" head={['Member', 'Pool', 'Status', 'Health']}>
        <tbody>
          {pools.every((p) => !g.members.some((m) => m.poolId === p.id)) && <Empty cols={4}>No members yet.</Empty>}
          {pools.flatMap((p) =>
            g.members
              .filter((m) => m.poolId === p.id)
              .map((m) => (
                <tr data-member={m.id}>
                  <td>{`${m.name ? `${m.name} ` : ''}${m.address}:${m.protocolPort}`}</td>
                  <td>{p.name || p.id}</td>
                  <td>
                    <Status value={m.provisioningStatus} />
                  </td>
                  <td>{m.operatingStatus}</td>
                </tr>
              )),
          )}
        </tbody>
      </Table>
    </>
  );
}

/** The tree alone, for the live region's polls. */
export async function renderLoadBalancerTree(c: AppContext) {
  const { g, lb } = await loadBalancerOfPath(c);
  return c.html(<LoadBalancerTree g={g} lb={lb} />);
}

/** A load balancer's page, with the delete that takes everything in it. */
export async function renderLoadBalancer(c: AppContext, failure?: Failure) {
  const { g, lb } = await loadBalancerOfPath(c);
  const base = `/console/elb/loadbalancers/${lb.id}`;
  return c.html(
    <ConsolePage c={c} title={`Load balancer ${lb.name || lb.id}`} section="elb">
      <h1>Load balancer {lb.name || lb.id}</h1>
      <p>
        <a href="/console/elb/loadbalancers">Back to the load balancers</a>
      </p>
      <Refusal failure={failure} />
      <Live src={`${base}/tree`} as="section" label="Status">
        <LoadBalancerTree g={g} lb={lb} />
      </Live>
      <p>
        Requests reach its listeners at <code>{`/elb/data/${lb.id}/{port}/`}</code> with a token of this project.
      </p>
      <h2>Delete</h2>
      <Form c={c} action={`${base}/delete`} submit="Delete the load balancer and everything in it" label="Delete">
        <input type="hidden" name="from" value="loadbalancer" />
      </Form>
    </ConsolePage>,
  );
}
