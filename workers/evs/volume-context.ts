/** What a Cinder route needs before it answers: the project's volumes with their attachments, as views. */
import type { Volume, VolumeAttachment } from '../../schema/tenant.ts';
import type { AppContext } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope, tenant } from '../lib/tenant.ts';
import { cinderBase, volumeView } from './views.ts';

/** The project's volumes and attachments (and, for the operator, the host of each server). */
export async function volumeRows(c: AppContext) {
  const admin = c.var.principal.operator;
  const rows = await tenant(c).list(admin ? ['volumes', 'volume_attachments', 'servers'] : ['volumes', 'volume_attachments']);
  const hosts: Record<string, string | null> = {};
  for (const s of (rows as { servers?: { id: string; hostId: string | null }[] }).servers ?? []) hosts[s.id] = s.hostId;
  return { volumes: rows.volumes, attachments: rows.volume_attachments, hosts, admin };
}

/** A function that renders each volume of the project in the detail view. */
export function viewer(c: AppContext, rows: { attachments: VolumeAttachment[]; hosts: Record<string, string | null>; admin: boolean }) {
  const { projectId } = projectScope(c);
  const base = cinderBase(c, c.req.param('project_id') ?? projectId);
  return (v: Volume) =>
    volumeView(c, base, {
      volume: v,
      attachments: rows.attachments.filter((a) => a.volumeId === v.id),
      hosts: rows.hosts,
      projectId,
      admin: rows.admin,
    });
}

/** The volume the path names, or Cinder's 404 (another project's is as missing as a deleted one). */
export async function volumeOfPath(c: AppContext): Promise<Volume> {
  const id = c.req.param('volume_id') ?? '';
  const v = await tenant(c).volume(id);
  if (!v) throw notFound(`Volume ${id} could not be found.`);
  return v;
}

/** The detail view of one volume, read fresh. */
export async function volumeDetail(c: AppContext, id: string) {
  const rows = await volumeRows(c);
  const v = rows.volumes.find((x) => x.id === id);
  if (!v) throw notFound(`Volume ${id} could not be found.`);
  return viewer(c, rows)(v);
}
