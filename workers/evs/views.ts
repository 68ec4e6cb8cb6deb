/** Cinder v3 views of volumes: the detail every client reads, and the summary the SDK's name lookup uses. */
import type { Volume, VolumeAttachment } from '../../schema/tenant.ts';
import type { AppContext } from '../lib/app.ts';
import { atLeast } from './microversion.ts';

/** Cinder's time format: microseconds, no zone. */
export const cinderTime = (iso: string) => iso.replace('Z', '').replace(/\.(\d{3})$/, '.$1000');

/** The URL of the project's Cinder API as the request reached it. */
export function cinderBase(c: AppContext, projectId: string): string {
  return `${new URL(c.req.url).origin}/evs/v3/${projectId}`;
}

const links = (base: string, kind: string, id: string) => [
  { rel: 'self', href: `${base}/${kind}/${id}` },
  { rel: 'bookmark', href: `${base.replace('/v3/', '/')}/${kind}/${id}` },
];

/** A volume's attachment as Cinder lists it. */
export function attachmentView(a: VolumeAttachment, hostName: string | null) {
  return {
    id: a.volumeId,
    attachment_id: a.id,
    volume_id: a.volumeId,
    server_id: a.serverId,
    host_name: hostName,
    device: a.device,
    attached_at: a.attachedAt ? cinderTime(a.attachedAt) : null,
  };
}

export interface VolumeViewInput {
  volume: Volume;
  attachments: VolumeAttachment[];
  /** The host each attached server runs on (operators see it). */
  hosts?: Record<string, string | null>;
  projectId: string;
  admin: boolean;
}

/** The detail view of a volume (keys OSC pops, `metadata` and `volume_type`, are always there). */
export function volumeView(c: AppContext, base: string, { volume: v, attachments, hosts = {}, projectId, admin }: VolumeViewInput) {
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    size: v.size,
    status: v.status,
    availability_zone: v.zone,
    created_at: cinderTime(v.createdAt),
    updated_at: cinderTime(v.updatedAt),
    volume_type: v.volumeType,
    snapshot_id: v.source.snapshotId ?? null,
    source_volid: v.source.sourceVolid ?? null,
    ...(v.source.backupId && atLeast(c, 47) ? { backup_id: v.source.backupId } : {}),
    metadata: v.metadata,
    links: links(base, 'volumes', v.id),
    user_id: v.userId,
    bootable: String(v.bootable),
    encrypted: v.encrypted,
    replication_status: null,
    consistencygroup_id: null,
    multiattach: v.multiattach,
    attachments: attachments
      .filter((a) => a.status !== 'attaching')
      .map((a) => attachmentView(a, admin ? (hosts[a.serverId] ?? null) : null)),
    migration_status: null,
    'os-vol-tenant-attr:tenant_id': projectId,
    ...(v.imageMetadata ? { volume_image_metadata: v.imageMetadata } : {}),
    ...(atLeast(c, 13) ? { group_id: null } : {}),
    ...(atLeast(c, 48) ? { service_uuid: null, shared_targets: false } : {}),
    ...(admin
      ? {
          'os-vol-host-attr:host': `evs@${v.zone}#${v.volumeType}`,
          'os-vol-mig-status-attr:migstat': null,
          'os-vol-mig-status-attr:name_id': null,
          provider_id: null,
        }
      : {}),
    ...(v.readonly ? { readonly: true } : {}),
  };
}

/** The summary view (`GET /volumes`): enough for a lookup by name. */
export const volumeSummary = (base: string, v: Volume) => ({ id: v.id, name: v.name, links: links(base, 'volumes', v.id) });
