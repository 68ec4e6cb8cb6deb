/**
 * The Console's VBS section, mounted at `/console/vbs`: the project's volume backups (live rows while one is
 * being made or restored), a backup made from a volume, a backup restored onto a volume or a new one, deleting a
 * backup. Guarded by the VBS actions of the same operations, through the VBS use cases.
 */

import { z } from 'zod';
import type { Backup } from '../../../schema/tenant.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { listVolumes } from '../../../workers/evs/usecases/volumes.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { createBackup, deleteBackup, listBackups, restoreBackup } from '../../../workers/vbs/usecases/backups.ts';
import {
  ActionButton,
  Actions,
  button,
  ConsolePage,
  CsrfField,
  consoleRouter,
  done,
  Empty,
  type Failure,
  Field,
  Form,
  f,
  form,
  Live,
  Refusal,
  Select,
  Status,
  Table,
} from '../kit.tsx';

const HEAD = ['Name', 'Status', 'Volume', 'Size', 'Kind', 'Created', 'Actions'];

type Rows = { backups: Backup[]; dependents: Set<string>; volumes: { id: string; name: string }[] };

async function rowsOf(c: AppContext): Promise<Rows> {
  const caller = callerOf(c);
  const [b, v] = await Promise.all([listBackups(caller), listVolumes(caller)]);
  return { ...b, volumes: v.volumes.map((x) => ({ id: x.id, name: x.name || x.id })) };
}

/** The backup rows (the live region's content): restore onto a volume (or a new one) and delete on each. */
function BackupRows({ c, rows }: { c: AppContext; rows: Rows }) {
  if (!rows.backups.length) return <Empty cols={HEAD.length}>No backups yet.</Empty>;
  const volumeName = (id: string) => rows.volumes.find((v) => v.id === id)?.name ?? id;
  const targets = rows.volumes.map((v) => ({ value: v.id, label: v.name }));
  return (
    <>
      {rows.backups.map((b) => (
        <tr data-backup={b.id}>
          <td>{b.name || b.id}</td>
          <td>
            <Status value={b.status} />
          </td>
          <td>{volumeName(b.volumeId)}</td>
          <td>{b.size} GB</td>
          <td>{b.incremental ? 'Incremental' : 'Full'}</td>
          <td>{b.createdAt}</td>
          <td>
            <Actions>
              {b.status === 'available' && (
                <form method="post" action={`/console/vbs/backups/${b.id}/restore`}>
                  <CsrfField c={c} />
                  <label for={`to-${b.id}`}>Restore onto</label>{' '}
                  <select id={`to-${b.id}`} name="volume">
                    <option value="">A new volume</option>
                    {targets.map((t) => (
                      <option value={t.value}>{t.label}</option>
                    ))}
                  </select>{' '}
                  <button type="submit" class="quiet">
                    Restore
                  </button>
                </form>
              )}
              {!rows.dependents.has(b.id) && (
                <ActionButton
                  c={c}
                  action={`/console/vbs/backups/${b.id}/delete`}
                  label="Delete"
                  danger
                  title={`Delete ${b.name || b.id}`}
                />
              )}
            </Actions>
          </td>
        </tr>
      ))}
    </>
  );
}

/** The backups page with the create form; a refusal on its form, or at the top. */
async function renderBackups(c: AppContext, failure?: Failure, on?: 'create') {
  const rows = await rowsOf(c);
  const create = on === 'create' ? failure : undefined;
  return c.html(
    <ConsolePage c={c} title="Backups" section="vbs">
      <h1>Volume Backup Service</h1>
      <Refusal failure={failure} shown={on} />
      <Table caption="Backups" head={HEAD}>
        <Live src="/console/vbs/backups/rows" as="tbody" label="Backups">
          <BackupRows c={c} rows={rows} />
        </Live>
      </Table>
      <h2>Back up a volume</h2>
      <Form c={c} action="/console/vbs/backups" submit="Create backup" failure={create} label="Back up a volume">
        <Select
          name="volume"
          label="Volume"
          options={rows.volumes.map((v) => ({ value: v.id, label: v.name }))}
          none="Choose a volume"
          required
          failure={create}
        />
        <Field
          name="name"
          label="Backup name"
          required
          failure={create}
          hint="A volume's first backup is full, the later ones incremental."
        />
      </Form>
    </ConsolePage>,
  );
}

export const vbsConsole = consoleRouter();

vbsConsole.get('/', act('vbs:backups:list'), (c) => c.redirect('/console/vbs/backups', 303));
vbsConsole.get('/backups', act('vbs:backups:list'), (c) => renderBackups(c));
vbsConsole.get('/backups/rows', act('vbs:backups:list'), async (c) => c.html(<BackupRows c={c} rows={await rowsOf(c)} />));

vbsConsole.post(
  '/backups',
  act('vbs:backups:create'),
  form(
    z.object({
      volume: z.string({ error: 'Choose a volume.' }).trim().min(1, 'Choose a volume.'),
      name: f.text('a name').pipe(z.string().max(64, 'A name is at most 64 characters.')),
    }),
    async (c, input) => {
      // The Console backs up an in-use volume too, as the native API does.
      await createBackup(callerOf(c), { volumeId: input.volume, name: input.name, description: null, force: true });
      return done(c, '/console/vbs/backups', `Backup ${input.name} is being made.`);
    },
    (c, failure) => renderBackups(c, failure, 'create'),
  ),
);

vbsConsole.post(
  '/backups/:backup_id/restore',
  act('vbs:backups:restore'),
  form(
    z.object({ volume: f.optional() }),
    async (c, input) => {
      const { volume } = await restoreBackup(callerOf(c), c.req.param('backup_id')!, { volumeId: input.volume ?? null });
      return done(c, '/console/vbs/backups', `The backup is being restored onto volume ${volume.name || volume.id}.`);
    },
    (c, failure) => renderBackups(c, failure),
  ),
);

vbsConsole.post(
  '/backups/:backup_id/delete',
  act('vbs:backups:delete'),
  button(
    async (c) => {
      await deleteBackup(callerOf(c), c.req.param('backup_id')!);
      return ['/console/vbs/backups', 'The backup is being deleted.'] as const;
    },
    (c, failure) => renderBackups(c, failure),
  ),
);
