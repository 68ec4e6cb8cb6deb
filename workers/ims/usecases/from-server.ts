/**
 * A private image made from one of the project's servers, the one use case behind Nova's `createImage` and the
 * native `POST /v2/cloudimages/action` with `instance_id`: the image inherits what its base image says of its
 * operating system (`__os_type`, `__os_version`, `__platform`, the virtual environment), records where it came
 * from (`__data_origin: instance,<id>`), and holds the bytes of the server's disk that the simulated host makes.
 */
import type { Image } from '../../../schema/tenant.ts';
import { ApiError } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';
import { type ImsCaller, locateImage, tenantOfProject } from './images.ts';

export interface FromServer {
  serverId: string;
  name: string;
  /** Nova's `metadata` / IMS's tags and description, as string properties. */
  properties?: Record<string, string>;
  minRam?: number;
  /** The native job the making runs under. */
  job?: { id: string; type: string };
}

/** What an image made from a server keeps of the image the server booted from. */
const INHERITED = ['__os_type', '__os_version', '__platform', '__os_bit', 'virtual_env_type', 'os_type', 'os_distro', 'hw_firmware_type'];

/** The properties of the base image that a server's image carries on (the catalogue's and private ones alike). */
async function inherited(
  caller: ImsCaller,
  imageId: string,
): Promise<{ properties: Record<string, string>; minDisk: number; minRam: number; diskFormat: string }> {
  const base = await locateImage(caller, imageId);
  if (!base) return { properties: {}, minDisk: 0, minRam: 0, diskFormat: 'qcow2' };
  if (base.where === 'catalogue') {
    const r = base.row;
    return {
      properties: {
        __os_type: r.osType,
        __os_version: r.osVersion,
        __platform: r.platform,
        __os_bit: '64',
        virtual_env_type: r.virtualEnvType,
      },
      minDisk: r.minDiskGb,
      minRam: r.minRamMb,
      diskFormat: r.diskFormat,
    };
  }
  const i = base.image;
  const properties = Object.fromEntries(INHERITED.filter((k) => i.properties[k] !== undefined).map((k) => [k, i.properties[k]!]));
  return { properties, minDisk: i.minDisk, minRam: i.minRam, diskFormat: i.diskFormat ?? 'qcow2' };
}

/** Makes a private image of a server of the caller's project; 404 for a server it does not have. */
export async function imageFromServer(caller: ImsCaller, req: FromServer): Promise<Image> {
  const t = tenantOfProject(caller.env, caller.projectId);
  const server = await t.server(req.serverId);
  const base = server ? await inherited(caller, server.imageId) : { properties: {}, minDisk: 0, minRam: 0, diskFormat: 'qcow2' };
  const input = {
    id: crypto.randomUUID(),
    name: req.name,
    visibility: 'private' as const,
    protected: false,
    osHidden: false,
    diskFormat: base.diskFormat,
    containerFormat: 'bare',
    minDisk: Math.max(base.minDisk, server?.diskGb ?? 0),
    minRam: req.minRam ?? base.minRam,
    tags: [],
    properties: {
      ...base.properties,
      ...req.properties,
      image_type: 'snapshot',
      instance_uuid: req.serverId,
      base_image_ref: server?.imageId ?? '',
      user_id: caller.userId,
      __image_source_type: 'uds',
      ...(server ? { __originalimagename: server.imageId } : {}),
    },
    userId: caller.userId,
  };
  const made = unwrap(await t.imageFromServer(input, req.serverId, server?.imageId ?? '', req.job));
  // A failed write leaves the image killed (its job says why); null only if it vanished meanwhile.
  if (!made) throw new ApiError(409, `The image of server ${req.serverId} was deleted while it was being made.`);
  return made;
}
