/**
 * The server list: one row per server with its status, flavor, zone, addresses and actions. The rows are a live
 * region: the page's script re-fetches them (`/console/ecs/servers/rows`, the same rows as a fragment) every 2 s
 * while a server is in a transitional state (BUILD, REBOOT, RESIZE, a task running), so that a new server reaches
 * ACTIVE on screen without a reload.
 */

import type { Server } from '../../../schema/tenant.ts';
import { listServers, type ProjectServers } from '../../../workers/ecs/usecases/servers.ts';
import { addresses } from '../../../workers/ecs/views.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { ActionButton, Actions, ConsolePage, Empty, type Failure, Live, Refusal, Status, Table } from '../kit.tsx';

const HEAD = ['Name', 'Status', 'Flavor', 'Zone', 'Addresses', 'Actions'];

/** A server's status tag, and the task running on it (`powering-off`, ...) beside it. */
export function ServerStatus({ s }: { s: Server }) {
  return (
    <>
      <Status value={s.status} />
      {s.taskState && <span class="hint"> {s.taskState}</span>}
    </>
  );
}

/** A server's addresses in one line: `10.0.0.5, 94.1.2.3 (EIP)`. */
export function addressLine(rows: ProjectServers | Omit<ProjectServers, 'servers'>, s: Server): string {
  const all = Object.values(addresses(rows, s, true)).flat();
  return all.map((a) => (a['OS-EXT-IPS:type'] === 'floating' ? `${a.addr} (EIP)` : a.addr)).join(', ');
}

/** The power actions a server's state allows, as buttons (the use case refuses the others anyway). */
export function PowerButtons({ c, s, from }: { c: AppContext; s: Server; from: 'list' | 'server' }) {
  const base = `/console/ecs/servers/${s.id}`;
  const fields = { from };
  const idle = !s.taskState;
  return (
    <>
      {idle && s.status === 'SHUTOFF' && (
        <ActionButton c={c} action={`${base}/start`} label="Start" fields={fields} title={`Start ${s.name}`} />
      )}
      {idle && s.status === 'ACTIVE' && (
        <ActionButton c={c} action={`${base}/stop`} label="Stop" fields={fields} title={`Stop ${s.name}`} />
      )}
      {idle && ['ACTIVE', 'SHUTOFF', 'ERROR'].includes(s.status) && (
        <ActionButton c={c} action={`${base}/reboot`} label="Reboot" fields={fields} title={`Reboot ${s.name}`} />
      )}
    </>
  );
}

/** The rows of the server table (the live region's content). */
export function ServerRows({ c, rows }: { c: AppContext; rows: ProjectServers }) {
  if (rows.servers.length === 0) return <Empty cols={HEAD.length}>No servers yet.</Empty>;
  const sorted = [...rows.servers].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return (
    <>
      {sorted.map((s) => (
        // A task running keeps the live region polling fast, whatever the status shows (ACTIVE while powering off).
        <tr data-server={s.id} data-busy={s.taskState ? '' : undefined}>
          <td>
            <a href={`/console/ecs/servers/${s.id}`}>{s.name}</a>
          </td>
          <td>
            <ServerStatus s={s} />
          </td>
          <td>{s.flavorId}</td>
          <td>{s.zone}</td>
          <td>{addressLine(rows, s) || '—'}</td>
          <td>
            <Actions>
              <PowerButtons c={c} s={s} from="list" />
              {s.taskState !== 'deleting' && (
                <ActionButton c={c} action={`/console/ecs/servers/${s.id}/delete`} label="Delete" danger title={`Delete ${s.name}`} />
              )}
            </Actions>
          </td>
        </tr>
      ))}
    </>
  );
}

/** The rows alone, for the live region's polls. */
export async function renderRows(c: AppContext) {
  return c.html(<ServerRows c={c} rows={await listServers(callerOf(c))} />);
}

/** The server list page; a refused action's message at its top. */
export async function renderServers(c: AppContext, failure?: Failure) {
  const rows = await listServers(callerOf(c));
  return c.html(
    <ConsolePage c={c} title="Servers" section="ecs">
      <h1>Elastic Cloud Servers</h1>
      <Refusal failure={failure} />
      <p>
        <a class="button" href="/console/ecs/servers/new">
          Create a server
        </a>
      </p>
      <Table caption="Servers" head={HEAD}>
        <Live src="/console/ecs/servers/rows" as="tbody" label="Servers">
          <ServerRows c={c} rows={rows} />
        </Live>
      </Table>
    </ConsolePage>,
  );
}
