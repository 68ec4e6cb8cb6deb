/**
 * The volume list (live rows: a volume being created, attached, extended or deleted is followed without a
 * reload) with the create form, and the snapshot list. Both read and write through the EVS use cases.
 */

import { VOLUME_TYPES } from '../../../core/evs/states.ts';
import { zonesOf } from '../../../core/regions.ts';
import { listSnapshots } from '../../../workers/evs/usecases/snapshots.ts';
import { listVolumes } from '../../../workers/evs/usecases/volumes.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { ActionButton, Actions, ConsolePage, Empty, type Failure, Field, Form, Live, Refusal, Select, Status, Table } from '../kit.tsx';

const HEAD = ['Name', 'Status', 'Size', 'Type', 'Zone', 'Attached to', 'Actions'];

type VolumeRows = Awaited<ReturnType<typeof listVolumes>>;

/** Where a volume is attached: its servers (linked) and devices. */
function AttachedTo({ rows, id }: { rows: VolumeRows; id: string }) {
  const at = rows.attachments.filter((a) => a.volumeId === id);
  if (!at.length) return <>—</>;
  return (
    <>
      {at.map((a) => (
        <a href={`/console/ecs/servers/${a.serverId}`}>
          {rows.servers.find((s) => s.id === a.serverId)?.name ?? a.serverId} ({a.device})
        </a>
      ))}
    </>
  );
}

/** The rows of the volume table (the live region's content). */
export function VolumeRowsView({ c, rows }: { c: AppContext; rows: VolumeRows }) {
  if (!rows.volumes.length) return <Empty cols={HEAD.length}>No volumes yet.</Empty>;
  const sorted = [...rows.volumes].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return (
    <>
      {sorted.map((v) => (
        <tr data-volume={v.id}>
          <td>
            <a href={`/console/evs/volumes/${v.id}`}>{v.name || v.id}</a>
          </td>
          <td>
            <Status value={v.status} />
          </td>
          <td>{v.size} GB</td>
          <td>{v.volumeType}</td>
          <td>{v.zone}</td>
          <td>
            <AttachedTo rows={rows} id={v.id} />
          </td>
          <td>
            <Actions>
              {v.status === 'available' && (
                <ActionButton
                  c={c}
                  action={`/console/evs/volumes/${v.id}/delete`}
                  label="Delete"
                  danger
                  title={`Delete ${v.name || v.id}`}
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
export async function renderVolumeRows(c: AppContext) {
  return c.html(<VolumeRowsView c={c} rows={await listVolumes(callerOf(c))} />);
}

/** The volume list with the create form (its refusal next to its field, or any other refusal at the top). */
export async function renderVolumes(c: AppContext, failure?: Failure, on?: 'create') {
  const caller = callerOf(c);
  const rows = await listVolumes(caller);
  const create = on === 'create' ? failure : undefined;
  return c.html(
    <ConsolePage c={c} title="Volumes" section="evs">
      <h1>Elastic Volume Service</h1>
      <Refusal failure={failure} shown={on} />
      <p>
        <a href="/console/evs/snapshots">Snapshots</a>
      </p>
      <Table caption="Volumes" head={HEAD}>
        <Live src="/console/evs/volumes/rows" as="tbody" label="Volumes">
          <VolumeRowsView c={c} rows={rows} />
        </Live>
      </Table>
      <h2>Create a volume</h2>
      <Form c={c} action="/console/evs/volumes" submit="Create volume" failure={create} label="Create a volume">
        <Field name="name" label="Name" failure={create} required />
        <Field name="size" label="Size (GB)" type="number" min={1} max={32768} value={10} failure={create} required />
        <Select
          name="volume_type"
          label="Disk type"
          options={VOLUME_TYPES.map((t) => ({ value: t, label: t }))}
          value="SATA"
          failure={create}
        />
        <Select
          name="zone"
          label="Availability zone"
          options={zonesOf(caller.region).map((z) => ({ value: z, label: z }))}
          none="Any zone"
          failure={create}
        />
      </Form>
    </ConsolePage>,
  );
}

/** The snapshot list; a refused delete at its top. */
export async function renderSnapshots(c: AppContext, failure?: Failure) {
  const caller = callerOf(c);
  const [snapshots, rows] = await Promise.all([listSnapshots(caller), listVolumes(caller)]);
  const volumeName = (id: string) => rows.volumes.find((v) => v.id === id)?.name || id;
  return c.html(
    <ConsolePage c={c} title="Snapshots" section="evs">
      <h1>Volume snapshots</h1>
      <Refusal failure={failure} />
      <p>
        <a href="/console/evs/volumes">Back to the volumes</a>
      </p>
      <Table caption="Snapshots" head={['Name', 'Status', 'Size', 'Volume', 'Created', 'Actions']}>
        <tbody>
          {snapshots.length === 0 && <Empty cols={6}>No snapshots yet: take one from a volume's page.</Empty>}
          {snapshots.map((s) => (
            <tr data-snapshot={s.id}>
              <td>{s.name || s.id}</td>
              <td>
                <Status value={s.status} />
              </td>
              <td>{s.size} GB</td>
              <td>
                <a href={`/console/evs/volumes/${s.volumeId}`}>{volumeName(s.volumeId)}</a>
              </td>
              <td>{s.createdAt}</td>
              <td>
                <ActionButton
                  c={c}
                  action={`/console/evs/snapshots/${s.id}/delete`}
                  label="Delete"
                  danger
                  title={`Delete ${s.name || s.id}`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ConsolePage>,
  );
}
