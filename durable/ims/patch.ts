/**
 * Glance's JSON-patch over an image (`application/openstack-images-v2.1-json-patch`): `add`, `replace` and
 * `remove` of one top-level attribute or free-form property each, applied in order, all or none, with Glance's
 * refusals (403 for a read-only or reserved attribute, 409 for a property that is not there).
 */
import { IMAGE, VISIBILITIES, type Visibility } from '../../core/ims/states.ts';
import type { Image } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { createImage, type ImageInput, image, refused, saveImage } from './images.ts';

/** One change, as the Worker read it from the body (its shape checked, its meaning checked here). */
export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop', 'zvhd', 'zvhd2'] as const;
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] as const;

/** Attributes Glance computes: never written by a patch. */
const READ_ONLY = new Set([
  'id',
  'status',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
  'created_at',
  'updated_at',
  'self',
  'file',
  'schema',
  'direct_url',
  'owner',
  'stores',
  // IMS's own record of what an image is and came from.
  '__imagetype',
  '__data_origin',
  '__isregistered',
  '__image_size',
]);
const RESERVED = new Set(['location', 'deleted', 'deleted_at']);

type Column = 'name' | 'visibility' | 'protected' | 'osHidden' | 'diskFormat' | 'containerFormat' | 'minDisk' | 'minRam' | 'tags';

/** The attributes a patch may set, each with its column and what its value must be. */
const BASE: Record<string, { column: Column; accept: (v: unknown) => boolean; type: string }> = {
  name: { column: 'name', accept: (v) => v === null || (typeof v === 'string' && v.length <= 255), type: "['null', 'string']" },
  visibility: { column: 'visibility', accept: (v) => VISIBILITIES.includes(v as Visibility), type: 'enum' },
  protected: { column: 'protected', accept: (v) => typeof v === 'boolean', type: "'boolean'" },
  os_hidden: { column: 'osHidden', accept: (v) => typeof v === 'boolean', type: "'boolean'" },
  disk_format: { column: 'diskFormat', accept: (v) => v === null || DISK_FORMATS.includes(v as never), type: 'enum' },
  container_format: { column: 'containerFormat', accept: (v) => v === null || CONTAINER_FORMATS.includes(v as never), type: 'enum' },
  min_disk: { column: 'minDisk', accept: (v) => Number.isInteger(v) && (v as number) >= 0, type: "'integer'" },
  min_ram: { column: 'minRam', accept: (v) => Number.isInteger(v) && (v as number) >= 0, type: "'integer'" },
  tags: {
    column: 'tags',
    accept: (v) => Array.isArray(v) && v.length <= 128 && v.every((t) => typeof t === 'string' && t.length > 0 && t.length <= 255),
    type: "'array'",
  },
};

/** The attribute a JSON pointer names: one level, with `~1` and `~0` unescaped. */
function attribute(path: string): string {
  if (!/^\/[^/]+$/.test(path)) {
    if (path.startsWith('/locations')) throw refused(403, "It's not allowed to add locations if locations are invisible.");
    throw refused(400, `Invalid JSON pointer for this resource: '${path}'`);
  }
  return path.slice(1).replaceAll('~1', '/').replaceAll('~0', '~');
}

function invalidValue(name: string, value: unknown, type: string): never {
  throw refused(400, `Provided object does not match schema 'image': ${JSON.stringify(value)} is not of type ${type} (${name})`);
}

/** Applies a patch to an image: every change or none; `operator` may make an image public. */
export function patchImage(ctx: Ctx, id: string, ops: PatchOp[], operator: boolean): Image {
  const row = image(ctx, id);
  const set: Partial<Image> = {};
  const properties = { ...row.properties };
  for (const { op, path, value } of ops) {
    const name = attribute(path);
    if (READ_ONLY.has(name) || name.startsWith('os_glance')) throw refused(403, `Attribute '${name}' is read-only.`);
    if (RESERVED.has(name)) throw refused(403, `Attribute '${name}' is reserved.`);
    const base = BASE[name];
    if (op === 'remove') {
      if (base) throw refused(403, `Property ${name} may not be removed.`);
      if (!(name in properties)) throw refused(409, `Property ${name} does not exist.`);
      delete properties[name];
      continue;
    }
    if (base) {
      if (!base.accept(value)) invalidValue(name, value, base.type);
      if ((name === 'disk_format' || name === 'container_format') && row.status !== IMAGE.QUEUED && value !== row[base.column])
        throw refused(403, `Attribute ${name} can be only replaced for a queued image.`);
      if (name === 'visibility' && value === 'public' && !operator && row.visibility !== 'public')
        throw refused(403, 'You are not authorized to complete publicize_image action.');
      (set as Record<string, unknown>)[base.column] = name === 'tags' ? [...new Set(value as string[])] : value;
      continue;
    }
    if (op === 'replace' && !(name in properties)) throw refused(409, `Property ${name} does not exist.`);
    if (typeof value !== 'string') invalidValue(name, value, "'string'");
    if (name.length > 255 || value.length > 65_535) throw refused(400, `Property ${name} is too long.`);
    properties[name] = value;
  }
  if (Object.keys(properties).length > PROPERTY_QUOTA && Object.keys(properties).length > Object.keys(row.properties).length)
    throw refused(413, `Maximum number of properties exceeded: ${PROPERTY_QUOTA}.`);
  return saveImage(ctx, id, { ...set, properties });
}

/** Glance's limit of free-form properties per image (`image_property_quota`). */
export const PROPERTY_QUOTA = 128;

/**
 * Creates an image from a Glance create body: the record with Glance's defaults, then every key of the body
 * applied as an `add`, so that a create and a patch refuse the same things alike, in one transaction.
 */
export function createFromBody(ctx: Ctx, input: ImageInput, body: Record<string, unknown>, operator: boolean): Image {
  createImage(ctx, input);
  const ops = Object.entries(body).map(([k, value]) => ({
    op: 'add' as const,
    path: `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`,
    value,
  }));
  return patchImage(ctx, input.id, ops, operator);
}
