/** The native EVS view of a volume: Cinder's fields, plus what Flexible Engine adds (service type, tags, WWN). */
import type { Volume, VolumeAttachment } from '../../../schema/tenant.ts';
import type { AppContext } from '../../lib/app.ts';
import { cinderTime } from '../views.ts';

/** A stable WWN for a volume (derived from its id). */
const wwn = (id: string) => `688860300${id.replace(/-/g, '').slice(0, 23)}`;

export function nativeVolumeView(c: AppContext, projectId: string, v: Volume, attachments: VolumeAttachment[]) {
  const origin = new URL(c.req.url).origin;
  return {
    id: v.id,
    name: v.name,
    description: v.description ?? '',
    size: v.size,
    status: v.status,
    availability_zone: v.zone,
    volume_type: v.volumeType,
    bootable: String(v.bootable),
    multiattach: v.multiattach,
    encrypted: v.encrypted,
    shareable: String(v.multiattach),
    snapshot_id: v.source.snapshotId ?? null,
    source_volid: v.source.sourceVolid ?? null,
    created_at: cinderTime(v.createdAt),
    updated_at: cinderTime(v.updatedAt),
    user_id: v.userId,
    'os-vol-tenant-attr:tenant_id': projectId,
    attachments: attachments
      .filter((a) => a.status !== 'attaching')
      .map((a) => ({
        id: a.volumeId,
        attachment_id: a.id,
        volume_id: a.volumeId,
        server_id: a.serverId,
        host_name: null,
        device: a.device,
        attached_at: a.attachedAt ? cinderTime(a.attachedAt) : null,
      })),
    metadata: {
      ...v.metadata,
      __system__encrypted: v.encrypted ? '1' : '0',
      readonly: String(v.readonly),
      attached_mode: 'rw',
      hw_passthrough: 'false',
    },
    volume_image_metadata: v.imageMetadata ?? {},
    tags: v.tags,
    service_type: 'EVS',
    wwn: wwn(v.id),
    enterprise_project_id: '0',
    dedicated_storage_id: null,
    dedicated_storage_name: null,
    replication_status: 'disabled',
    links: [{ rel: 'self', href: `${origin}/evs/v2/${projectId}/cloudvolumes/${v.id}` }],
  };
}
