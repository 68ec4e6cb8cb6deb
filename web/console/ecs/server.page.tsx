/**
 * A server's page: what it is (status, flavor, image, zone, key pair, auto-recovery), its addresses, its volumes,
 * what was done to it (the action log, as Nova's os-instance-actions reads it) and its console log; the power
 * actions, resize (then confirm or revert) and delete. Its summary and its console log are live regions, so a
 * build or an action is followed without a reload.
 */

import type { Server } from '../../../schema/tenant.ts';
import { allowed } from '../../../workers/auth/middleware.ts';
import { catalogueFlavors } from '../../../workers/directory/catalogue.ts';
import { consoleOutput, type ServerRecord, serverActionLog, serverById } from '../../../workers/ecs/usecases/servers.ts';
import { attachmentsOf } from '../../../workers/ecs/views.ts';
import { bootImage } from '../../../workers/ims/usecases/images.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { notFound } from '../../../workers/lib/errors.ts';
import { ActionButton, Actions, Check, ConsolePage, Empty, type Failure, Form, Live, Refusal, Select, Table } from '../kit.tsx';
import { addressLine, PowerButtons, ServerStatus } from './servers.page.tsx';

/** The server the path names, or the Console's 404 (another project's is as missing as a deleted one). */
export async function serverOfPath(c: AppContext): Promise<ServerRecord> {
  const id = c.req.param('server_id') ?? '';
  const found = await serverById(callerOf(c), id);
  if (!found) throw notFound(`There is no server ${id} in this project.`);
  return found;
}

/** The server's facts and addresses (the live summary's content). */
export async function Summary({ c, r }: { c: AppContext; r: ServerRecord }) {
  const s = r.server;
  // The image by name, through the one lookup of images a server boots from (the id when it is gone meanwhile).
  const image = await bootImage(c.env, callerOf(c).projectId, s.imageId);
  const busy = s.taskState || s.status === 'BUILD';
  return (
    <>
      <dl class="facts" data-busy={busy ? '' : undefined}>
        <dt>Status</dt>
        <dd data-server={s.id}>
          <ServerStatus s={s} />
          {s.fault && <span class="error"> {s.fault.message}</span>}
        </dd>
        <dt>ID</dt>
        <dd>{s.id}</dd>
        <dt>Flavor</dt>
        <dd>
          {s.flavorId} ({s.vcpus} vCPU, {s.ramMb} MB)
        </dd>
        <dt>Image</dt>
        <dd>{image?.name ?? s.imageId}</dd>
        <dt>Zone</dt>
        <dd>{s.zone}</dd>
        <dt>Addresses</dt>
        <dd>{addressLine(r, s) || '—'}</dd>
        <dt>Key pair</dt>
        <dd>{s.keyName ?? '—'}</dd>
        <dt>Auto-recovery</dt>
        <dd>{s.autoRecovery ? 'On' : 'Off'}</dd>
        <dt>Created</dt>
        <dd>{s.createdAt}</dd>
      </dl>
      <Actions>
        <PowerButtons c={c} s={s} from="server" />
        {s.status === 'VERIFY_RESIZE' && !s.taskState && (
          <>
            <ActionButton c={c} action={`/console/ecs/servers/${s.id}/confirm-resize`} label="Confirm resize" />
            <ActionButton c={c} action={`/console/ecs/servers/${s.id}/revert-resize`} label="Revert resize" />
          </>
        )}
      </Actions>
    </>
  );
}

/** The console log, or why there is none yet (a server being built has none: polled until it has). */
export async function ConsoleLog({ c, s }: { c: AppContext; s: Server }) {
  const log = await consoleOutput(callerOf(c), s, 50);
  if (log === null) return <p data-busy="">The console log shows once the server is built.</p>;
  return <pre class="log">{log || '(empty)'}</pre>;
}

function AddressTable({ r }: { r: ServerRecord }) {
  const ports = r.ports.filter((p) => p.deviceId === r.server.id);
  const netName = (id: string) => r.networks.find((n) => n.id === id)?.name ?? id;
  return (
    <Table caption="Network interfaces" head={['Subnet', 'Private address', 'MAC', 'EIP']}>
      <tbody>
        {ports.length === 0 && <Empty cols={4}>No network interface yet.</Empty>}
        {ports.map((p) => (
          <tr>
            <td>{netName(p.networkId)}</td>
            <td>{p.fixedIps.map((f) => f.ip_address).join(', ')}</td>
            <td>{p.macAddress}</td>
            <td>
              {r.eips
                .filter((e) => e.portId === p.id && e.address)
                .map((e) => e.address)
                .join(', ') || '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function VolumeTable({ r }: { r: ServerRecord }) {
  const attached = attachmentsOf(r, r.server);
  return (
    <Table caption="Volumes" head={['Device', 'Volume', 'Disk', 'Deleted with the server']}>
      <tbody>
        {attached.length === 0 && <Empty cols={4}>No volume attached.</Empty>}
        {attached.map((a) => (
          <tr>
            <td>{a.device}</td>
            <td>
              <a href={`/console/evs/volumes/${a.volumeId}`}>{a.volumeId}</a>
            </td>
            <td>{a.bootIndex === 0 ? 'System disk' : 'Data disk'}</td>
            <td>{a.deleteOnTermination ? 'Yes' : 'No'}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

async function ActionLog({ c, s }: { c: AppContext; s: Server }) {
  const events = (await serverActionLog(callerOf(c), s.id, { deleted: false })) ?? [];
  return (
    <Table caption="Action log, newest first" head={['Action', 'When', 'Request', 'Message']}>
      <tbody>
        {events.length === 0 && <Empty cols={4}>Nothing recorded yet.</Empty>}
        {events.map((e) => (
          <tr>
            <td>{e.action}</td>
            <td>{e.at}</td>
            <td>{e.requestId}</td>
            <td>{e.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The server's page; a refused resize or delete shows on its form, any other refusal at the top. */
export async function renderServer(c: AppContext, failure?: Failure, on?: 'resize' | 'delete') {
  const r = await serverOfPath(c);
  const s = r.server;
  const base = `/console/ecs/servers/${s.id}`;
  const showLog = await allowed(c, c.var.principal, 'ecs:servers:getConsoleOutput');
  // A server resizes to a flavor of its own kind (the use case refuses the others): only those are offered.
  const metal = s.flavorId.startsWith('physical.');
  const flavors = (await catalogueFlavors(c.env)).filter((f) => f.id !== s.flavorId && (f.category === 'baremetal') === metal);
  return c.html(
    <ConsolePage c={c} title={`Server ${s.name}`} section="ecs">
      <h1>Server {s.name}</h1>
      <p>
        <a href="/console/ecs/servers">Back to the servers</a>
      </p>
      <Refusal failure={failure} shown={on} />
      <Live src={`${base}/summary`} as="section" label="Summary">
        <Summary c={c} r={r} />
      </Live>
      <h2>Network</h2>
      <AddressTable r={r} />
      <h2>Storage</h2>
      <VolumeTable r={r} />
      <h2>Action log</h2>
      <ActionLog c={c} s={s} />
      {showLog && (
        <>
          <h2>Console log</h2>
          <Live src={`${base}/console`} as="div" label="Console log">
            <ConsoleLog c={c} s={s} />
          </Live>
        </>
      )}
      <h2>Resize</h2>
      <Form c={c} action={`${base}/resize`} submit="Resize" failure={on === 'resize' ? failure : undefined} label="Resize">
        <Select
          name="flavor"
          label="New flavor"
          options={flavors.map((f) => ({ value: f.id, label: `${f.name}: ${f.vcpus} vCPU, ${f.ramMb / 1024} GB` }))}
          none="Choose a flavor"
          required
          failure={on === 'resize' ? failure : undefined}
        />
      </Form>
      <h2>Delete</h2>
      <Form
        c={c}
        action={`${base}/delete`}
        submit="Delete the server"
        failure={on === 'delete' ? failure : undefined}
        label="Delete the server"
      >
        <input type="hidden" name="from" value="server" />
        <Check name="release_eip" label="Release its EIPs too" failure={on === 'delete' ? failure : undefined} />
        <Check
          name="delete_volumes"
          label="Delete its data disks too (its system disk always goes with it)"
          failure={on === 'delete' ? failure : undefined}
        />
      </Form>
    </ConsolePage>,
  );
}
