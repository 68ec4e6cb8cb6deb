/**
 * Creating volumes, the one use case behind Cinder's `POST /volumes`, the native `POST /cloudvolumes` and the
 * boot volumes of a server create: the type and zone (checked against the region), the source (an image the
 * project may boot from, through IMS's one lookup; another volume; a snapshot) that gives the defaults, then one TenantDO call that records every
 * volume within the quotas, all or none.
 */
import { VOLUME_SIZE, VOLUME_TYPES } from '../../../core/evs/states.ts';
import { zonesOf } from '../../../core/regions.ts';
import type { JobSpec } from '../../../durable/ecs/jobs.ts';
import type { VolumeInput } from '../../../durable/evs/volumes.ts';
import type { Volume } from '../../../schema/tenant.ts';
import type { ImageRow } from '../../directory/catalogue.ts';
import { bootImage } from '../../ims/usecases/images.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';

/** What a door asks for; unset fields take their defaults from the source, then the cloud's. */
export interface VolumeRequest {
  name: string;
  description: string | null;
  size?: number;
  volumeType?: string | null;
  availabilityZone?: string | null;
  metadata: Record<string, string>;
  multiattach: boolean;
  snapshotId?: string | null;
  sourceVolid?: string | null;
  imageRef?: string | null;
  tags?: Record<string, string>;
  /** How many alike (native batch create): `name-0001`, ... */
  count?: number;
}

/** The type a volume gets when none is asked (Flexible Engine's common I/O). */
export const DEFAULT_VOLUME_TYPE = 'SATA';

/** The image a volume is made from, as its `volume_image_metadata` shows it. */
function imageMetadata(i: ImageRow): Record<string, string> {
  return {
    image_id: i.id,
    image_name: i.name,
    min_disk: String(i.minDiskGb),
    min_ram: String(i.minRamMb),
    disk_format: i.diskFormat,
    container_format: 'bare',
    size: String(i.sizeBytes),
    os_type: i.osType.toLowerCase(),
    __os_version: i.osVersion,
    __platform: i.platform,
  };
}

/** Checks a volume type's name (Cinder's 404 for an unknown one). */
export function volumeType(name: string | null | undefined): string {
  const t = name ?? DEFAULT_VOLUME_TYPE;
  if (!(VOLUME_TYPES as readonly string[]).includes(t)) throw notFound(`Volume type with name ${t} could not be found.`);
  return t;
}

/** The inputs of the volumes a request makes (ids chosen here), with the defaults the source gives. */
export async function volumeInputs(caller: Caller, req: VolumeRequest): Promise<VolumeInput[]> {
  const zones = zonesOf(caller.region);
  if (req.availabilityZone && !zones.includes(req.availabilityZone))
    throw badRequest(`Invalid input received: Availability zone '${req.availabilityZone}' is invalid.`);
  let size = req.size;
  let type = req.volumeType;
  let zone = req.availabilityZone ?? undefined;
  let image: ImageRow | undefined;
  if (req.imageRef) {
    image = (await bootImage(caller.env, caller.projectId, req.imageRef)) ?? undefined;
    if (!image) throw notFound(`Image ${req.imageRef} could not be found.`);
    size ??= image.minDiskGb;
    if (size < image.minDiskGb)
      throw badRequest(`Invalid input received: Image minDisk size ${image.minDiskGb} is larger than the volume size ${size}.`);
  }
  if (req.snapshotId) {
    // A volume made from a snapshot is its volume's type, in its zone, and at least its size.
    const snap = await tenantOf(caller).snapshot(req.snapshotId);
    if (!snap) throw notFound(`Snapshot ${req.snapshotId} could not be found.`);
    const src = await tenantOf(caller).volume(snap.volumeId);
    size ??= snap.size;
    type ??= src?.volumeType;
    if (src && zone && zone !== src.zone)
      throw badRequest(`Invalid input received: A volume from snapshot ${snap.id} is made in its zone ${src.zone}, not ${zone}.`);
    zone ??= src?.zone;
  }
  if (req.sourceVolid) {
    const src = await tenantOf(caller).volume(req.sourceVolid);
    if (!src) throw notFound(`Volume ${req.sourceVolid} could not be found.`);
    size ??= src.size;
    type ??= src.volumeType;
    zone ??= src.zone;
  }
  if (size === undefined)
    throw badRequest(`Invalid input received: Size must be specified when neither a snapshot nor an image nor a source volume is.`);
  if (!Number.isInteger(size) || size < VOLUME_SIZE.min || size > VOLUME_SIZE.max)
    throw badRequest(`Invalid input received: Volume size ${size} must be an integer between ${VOLUME_SIZE.min} and ${VOLUME_SIZE.max}.`);
  const t = volumeType(type);
  const count = req.count ?? 1;
  return Array.from({ length: count }, (_, i) => {
    const id = crypto.randomUUID();
    return {
      id,
      name: count > 1 ? `${req.name}-${String(i + 1).padStart(4, '0')}` : req.name,
      description: req.description,
      size: size!,
      volumeType: t,
      zone: zone ?? zones[Number.parseInt(id.slice(0, 2), 16) % zones.length]!,
      userId: caller.userId,
      metadata: req.metadata,
      multiattach: req.multiattach,
      source: {
        ...(req.snapshotId ? { snapshotId: req.snapshotId } : {}),
        ...(req.sourceVolid ? { sourceVolid: req.sourceVolid } : {}),
        ...(image ? { imageId: image.id } : {}),
      },
      imageMetadata: image ? imageMetadata(image) : null,
      tags: req.tags,
    };
  });
}

/** Creates volumes: checks the request, then records them all (or none) and queues their creation. */
export async function createVolumes(caller: Caller, req: VolumeRequest, job?: JobSpec): Promise<Volume[]> {
  const inputs = await volumeInputs(caller, req);
  return unwrap(await tenantOf(caller).createVolumes(caller.projectId, inputs, job));
}

/** The project's volumes, their attachments and the servers they are attached to (ids, names, hosts). */
export async function listVolumes(caller: Caller) {
  const rows = await tenantOf(caller).list(['volumes', 'volume_attachments', 'servers']);
  const servers = rows.servers.map((s) => ({ id: s.id, name: s.name, hostId: s.hostId }));
  return { volumes: rows.volumes, attachments: rows.volume_attachments, servers };
}

/** One volume of the caller's project, or null (another project's is as missing as a deleted one). */
export async function volumeById(caller: Caller, id: string): Promise<Volume | null> {
  return tenantOf(caller).volume(id);
}

/** Grows a volume to `newSize` GB (`extending`, then back); an attached one only when `inUse` is allowed. */
export async function extendVolume(caller: Caller, id: string, newSize: number, inUse: boolean, job?: JobSpec) {
  unwrap(await tenantOf(caller).extendVolume(caller.projectId, id, newSize, inUse, job));
}

/** Deletes a volume (`deleting`, then gone); with `cascade` its snapshots too, `force` the operator's. */
export async function deleteVolume(caller: Caller, id: string, opts: { cascade?: boolean; force?: boolean } = {}, job?: JobSpec) {
  unwrap(await tenantOf(caller).deleteVolume(caller.projectId, id, opts, job));
}
