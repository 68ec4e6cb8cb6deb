/**
 * IMS's wire views over one model: a Glance v2 image (the catalogue's public images and the projects' private
 * ones alike, with IMS's `__` fields), and a member.
 */
import type { JobView } from '../../durable/ecs/jobs.ts';
import type { ImageMember } from '../../schema/global.ts';
import type { Image } from '../../schema/tenant.ts';
import type { ImageRow } from '../directory/catalogue.ts';

/** Glance's timestamps: seconds, `Z`. */
export const glanceTime = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

/** A Glance v2 image of the public catalogue. */
export function catalogueView(origin: string, i: ImageRow) {
  return {
    id: i.id,
    name: i.name,
    status: 'active',
    visibility: 'public',
    protected: true,
    os_hidden: false,
    owner: '',
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    min_disk: i.minDiskGb,
    min_ram: i.minRamMb,
    size: i.sizeBytes,
    virtual_size: null,
    disk_format: i.diskFormat,
    container_format: 'bare',
    created_at: i.createdAt,
    updated_at: i.createdAt,
    tags: [] as string[],
    os_type: i.osType.toLowerCase(),
    __os_type: i.osType,
    __os_version: i.osVersion,
    __platform: i.platform,
    __imagetype: 'gold',
    __os_bit: '64',
    __isregistered: 'true',
    virtual_env_type: i.virtualEnvType,
    __support_kvm: i.virtualEnvType === 'Ironic' ? 'false' : 'true',
    __support_baremetal: i.virtualEnvType === 'Ironic' ? 'true' : 'false',
    self: `/v2/images/${i.id}`,
    file: `/v2/images/${i.id}/file`,
    schema: '/v2/schemas/image',
    links: [{ rel: 'self', href: `${origin}/ims/v2/images/${i.id}` }],
  };
}

/** IMS's `__data_origin`: what an image was made from. */
function dataOrigin(i: Image): string | undefined {
  if (!i.origin) return undefined;
  return i.origin.ref ? `${i.origin.kind},${i.origin.ref}` : i.origin.kind;
}

/**
 * A Glance v2 image of a project's: its attributes, then its free-form properties at the top level (as Glance
 * shows them), and IMS's own fields. `viewer` is the project looking: another project sees it as `shared` (or `gold`
 * when an operator made it public).
 */
export function privateView(origin: string, i: Image, owner: string, viewer: string) {
  const origins = dataOrigin(i);
  // While the bytes stream, `size` holds the declared length (for the quota): Glance shows none until active.
  const size = i.status === 'active' || i.status === 'deactivated' ? i.size : null;
  return {
    ...i.properties,
    id: i.id,
    name: i.name,
    status: i.status,
    visibility: i.visibility,
    protected: i.protected,
    os_hidden: i.osHidden,
    owner,
    checksum: i.checksum,
    os_hash_algo: i.hashAlgo,
    os_hash_value: i.hashValue,
    min_disk: i.minDisk,
    min_ram: i.minRam,
    size,
    virtual_size: i.virtualSize,
    disk_format: i.diskFormat,
    container_format: i.containerFormat,
    created_at: glanceTime(i.createdAt),
    updated_at: glanceTime(i.updatedAt),
    tags: i.tags,
    __imagetype: owner === viewer ? 'private' : i.visibility === 'public' ? 'gold' : 'shared',
    __isregistered: 'true',
    ...(origins ? { __data_origin: origins } : {}),
    ...(size !== null ? { __image_size: String(size) } : {}),
    ...(i.activeAt ? { active_at: glanceTime(i.activeAt) } : {}),
    self: `/v2/images/${i.id}`,
    file: `/v2/images/${i.id}/file`,
    schema: '/v2/schemas/image',
    links: [{ rel: 'self', href: `${origin}/ims/v2/images/${i.id}` }],
  };
}

export type ImageView = ReturnType<typeof catalogueView> | ReturnType<typeof privateView>;

/** A Glance v2 member. */
export function memberView(m: ImageMember) {
  return {
    image_id: m.imageId,
    member_id: m.memberProjectId,
    status: m.status,
    created_at: glanceTime(m.createdAt),
    updated_at: glanceTime(m.updatedAt),
    schema: '/v2/schemas/member',
  };
}

/** A native IMS job: its status read from its image, and the image it makes (or exports). */
export function imsJobView(v: JobView) {
  const imageId = v.subJobs.find((s) => s.kind === 'image')?.resourceId ?? null;
  return {
    status: v.status,
    job_id: v.job.id,
    job_type: v.job.type,
    begin_time: v.job.createdAt,
    end_time: v.job.endedAt ?? '',
    error_code: v.errorCode,
    fail_reason: v.failReason,
    entities: { image_id: imageId },
  };
}
