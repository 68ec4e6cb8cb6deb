/**
 * A volume's page: what it is, where it is attached (detach), and its forms: attach to a server, extend, take a
 * snapshot, delete. Each form's refusal shows on that form; the summary is a live region while the volume moves.
 */

import type { Volume } from '../../../schema/tenant.ts';
import { listSnapshots } from '../../../workers/evs/usecases/snapshots.ts';
import { listVolumes } from '../../../workers/evs/usecases/volumes.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { notFound } from '../../../workers/lib/errors.ts';
import { ActionButton, ConsolePage, Empty, type Failure, Field, Form, Live, Refusal, Select, Status, Table } from '../kit.tsx';

/** The forms of a volume's page, each showing its own refusal. */
export type VolumeForm = 'attach' | 'extend' | 'snapshot' | 'delete';

type VolumeRows = Awaited<ReturnType<typeof listVolumes>>;

/** The project's volumes with the one the path names, or the Console's 404 (another project's is as missing). */
export async function volumeOfPath(c: AppContext): Promise<{ rows: VolumeRows; volume: Volume }> {
  const id = c.req.param('volume_id') ?? '';
  const rows = await listVolumes(callerOf(c));
  const volume = rows.volumes.find((v) => v.id === id);
  if (!volume) throw notFound(`There is no volume ${id} in this project.`);
  return { rows, volume };
}

/** The volume's facts and attachments (the live summary's content). */
export function VolumeSummary({ c, rows, v }: { c: AppContext; rows: VolumeRows; v: Volume }) {
  const at = rows.attachments.filter((a) => a.volumeId === v.id);
  return (
    <>
      <dl class="facts">
        <dt>Status</dt>
        <dd data-volume={v.id}>
          <Status value={v.status} />
          {v.fault && <span class="error"> {v.fault}</span>}
        </dd>
        <dt>ID</dt>
        <dd>{v.id}</dd>
        <dt>Size</dt>
        <dd>{v.size} GB</dd>
        <dt>Type</dt>
        <dd>{v.volumeType}</dd>
        <dt>Zone</dt>
        <dd>{v.zone}</dd>
        <dt>Bootable</dt>
        <dd>{v.bootable ? 'Yes' : 'No'}</dd>
      </dl>
      <Table caption="Attachments" head={['Server', 'Device', 'Actions']}>
        <tbody>
          {at.length === 0 && <Empty cols={3}>Not attached.</Empty>}
          {at.map((a) => (
            <tr>
              <td>
                <a href={`/console/ecs/servers/${a.serverId}`}>{rows.servers.find((s) => s.id === a.serverId)?.name ?? a.serverId}</a>
              </td>
              <td>{a.device}</td>
              <td>
                {a.bootIndex !== 0 && (
                  <ActionButton c={c} action={`/console/evs/volumes/${v.id}/detach`} label="Detach" fields={{ server: a.serverId }} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

/** The volume's page; a refusal shows on the form it came from (`on`), or at the top. */
export async function renderVolume(c: AppContext, failure?: Failure, on?: VolumeForm) {
  const { rows, volume: v } = await volumeOfPath(c);
  const snapshots = (await listSnapshots(callerOf(c))).filter((s) => s.volumeId === v.id);
  const base = `/console/evs/volumes/${v.id}`;
  const of = (form: VolumeForm) => (on === form ? failure : undefined);
  // A server in the volume's zone can take it; the use case refuses the others with its words.
  const servers = rows.servers.map((s) => ({ value: s.id, label: s.name }));
  return c.html(
    <ConsolePage c={c} title={`Volume ${v.name || v.id}`} section="evs">
      <h1>Volume {v.name || v.id}</h1>
      <p>
        <a href="/console/evs/volumes">Back to the volumes</a>
      </p>
      <Refusal failure={failure} shown={on} />
      <Live src={`${base}/summary`} as="section" label="Summary">
        <VolumeSummary c={c} rows={rows} v={v} />
      </Live>
      <h2>Attach to a server</h2>
      <Form c={c} action={`${base}/attach`} submit="Attach" failure={of('attach')} label="Attach to a server">
        <Select name="server" label="Server" options={servers} none="Choose a server" required failure={of('attach')} />
      </Form>
      <h2>Extend</h2>
      <Form c={c} action={`${base}/extend`} submit="Extend" failure={of('extend')} label="Extend">
        <Field name="new_size" label="New size (GB)" type="number" min={v.size + 1} value={v.size + 10} required failure={of('extend')} />
      </Form>
      <h2>Snapshots</h2>
      <Table caption="Snapshots of this volume" head={['Name', 'Status', 'Size']}>
        <tbody>
          {snapshots.length === 0 && <Empty cols={3}>None yet.</Empty>}
          {snapshots.map((s) => (
            <tr>
              <td>{s.name || s.id}</td>
              <td>
                <Status value={s.status} />
              </td>
              <td>{s.size} GB</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Form c={c} action={`${base}/snapshots`} submit="Take a snapshot" failure={of('snapshot')} label="Take a snapshot">
        <Field name="snapshot_name" label="Snapshot name" required failure={of('snapshot')} />
      </Form>
      <h2>Delete</h2>
      <Form c={c} action={`${base}/delete`} submit="Delete the volume" failure={of('delete')} label="Delete the volume">
        <input type="hidden" name="from" value="volume" />
      </Form>
    </ConsolePage>,
  );
}
