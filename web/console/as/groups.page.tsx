/**
 * The Console's scaling groups: the list (live rows: a group scaling is followed without a reload) and a group's
 * page with its instances and activity log (live while it scales), its policies (each can be run now) and a form
 * that sets its expected number of instances. Both read through Auto Scaling's use cases.
 */
import { scalingGroup, scalingGroups } from '../../../workers/as/usecases/groups.ts';
import { asTime } from '../../../workers/as/views.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { ActionButton, ConsolePage, Empty, type Failure, Field, Form, Live, Refusal, Status, Table } from '../kit.tsx';

const HEAD = ['Name', 'Status', 'Instances (current / expected)', 'Min – max', 'Configuration'];

type Listed = Awaited<ReturnType<typeof scalingGroups>>;

/** The rows of the group table. */
export function GroupRows({ groups }: { groups: Listed }) {
  if (!groups.length) return <Empty cols={HEAD.length}>No scaling groups yet.</Empty>;
  return (
    <>
      {groups.map(({ group: g, configurationName }) => (
        <tr data-group={g.id}>
          <td>
            <a href={`/console/as/groups/${g.id}`}>{g.name}</a>
          </td>
          <td>
            <Status value={g.scaling ? 'SCALING' : g.status} />
          </td>
          <td>{`${g.current} / ${g.desired}`}</td>
          <td>{`${g.min} – ${g.max}`}</td>
          <td>{configurationName ?? '—'}</td>
        </tr>
      ))}
    </>
  );
}

export async function renderGroupRows(c: AppContext) {
  return c.html(<GroupRows groups={await scalingGroups(callerOf(c))} />);
}

export async function renderGroups(c: AppContext) {
  const groups = await scalingGroups(callerOf(c));
  return c.html(
    <ConsolePage c={c} title="Scaling groups" section="as">
      <h1>Auto Scaling</h1>
      <Table caption="Scaling groups" head={HEAD}>
        <Live src="/console/as/groups/rows" as="tbody" label="Scaling groups">
          <GroupRows groups={groups} />
        </Live>
      </Table>
      <p>
        Configurations, groups and policies are made through the Auto Scaling API (<code>/as/autoscaling-api/v1</code>); a group's page sets
        its expected number of instances and runs its policies.
      </p>
    </ConsolePage>,
  );
}

type Detail = Awaited<ReturnType<typeof scalingGroup>>;

/** A group's instances and its activity log (the live region's content). */
export function GroupLive({ d }: { d: Detail }) {
  return (
    <>
      <p data-counts>{`${d.group.current} instance(s), ${d.group.desired} expected${d.group.scaling ? ', scaling' : ''}.`}</p>
      <Table caption="Instances" head={['Server', 'Life cycle', 'Health', 'Since']}>
        <tbody>
          {d.instances.length === 0 && <Empty cols={4}>No instances.</Empty>}
          {d.instances.map((i) => (
            <tr data-instance={i.serverId}>
              <td>
                <a href={`/console/ecs/servers/${i.serverId}`}>{i.name}</a>
              </td>
              <td>
                <Status value={i.state} />
              </td>
              <td>{i.health}</td>
              <td>{asTime(i.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Table caption="Activity log" head={['Started', 'Status', 'Change', 'Expected', 'What happened']}>
        <tbody>
          {d.activities.length === 0 && <Empty cols={5}>No activity yet.</Empty>}
          {d.activities.slice(0, 20).map((a) => (
            <tr>
              <td>{asTime(a.startedAt)}</td>
              <td>
                <Status value={a.status} />
              </td>
              <td>{a.scalingValue}</td>
              <td>{a.desireValue}</td>
              <td>{a.description}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

const groupId = (c: AppContext) => c.req.param('scaling_group_id') ?? '';

export async function renderGroupLive(c: AppContext) {
  return c.html(<GroupLive d={await scalingGroup(callerOf(c), groupId(c))} />);
}

/** A group's page (the one the path names unless told), with a form's refusal. */
export async function renderGroup(c: AppContext, failure?: Failure, id = groupId(c)) {
  const d = await scalingGroup(callerOf(c), id);
  const g = d.group;
  const base = `/console/as/groups/${g.id}`;
  return c.html(
    <ConsolePage c={c} title={`Scaling group ${g.name}`} section="as">
      <h1>Scaling group {g.name}</h1>
      <p>
        <a href="/console/as/groups">Back to the scaling groups</a>
      </p>
      <Refusal failure={failure} shown={failure?.field} />
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <Status value={g.status} />
        </dd>
        <dt>Bounds</dt>
        <dd>{`${g.min} to ${g.max} instances, cool-down ${g.coolDown} s`}</dd>
        <dt>Zones</dt>
        <dd>{g.zones.join(', ')}</dd>
        <dt>Health audit</dt>
        <dd>{`${g.auditMethod} every ${g.auditMinutes} min, grace ${g.auditGrace} s`}</dd>
      </dl>
      <Live src={`${base}/live`} as="section" label="Instances and activity">
        <GroupLive d={d} />
      </Live>
      <h2>Expected number of instances</h2>
      <Form c={c} action={`${base}/desired`} submit="Set" failure={failure} label="Expected number of instances">
        <Field name="desired" label={`Expected instances (${g.min} to ${g.max})`} value={String(g.desired)} failure={failure} required />
      </Form>
      <Table caption="Policies" head={['Policy', 'Type', 'Action', 'Status', 'Run']}>
        <tbody>
          {d.policies.length === 0 && <Empty cols={5}>No policies.</Empty>}
          {d.policies.map((p) => (
            <tr data-policy={p.id}>
              <td>{p.name}</td>
              <td>{p.type === 'ALARM' ? `ALARM (${p.alarmId})` : p.type}</td>
              <td>{`${p.action.operation} ${p.action.instance_percentage !== undefined ? `${p.action.instance_percentage} %` : (p.action.instance_number ?? 1)}`}</td>
              <td>
                <Status value={p.status} />
              </td>
              <td>
                <ActionButton c={c} action={`/console/as/policies/${p.id}/execute`} label="Run now" title={`Run ${p.name} now`} />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ConsolePage>,
  );
}
