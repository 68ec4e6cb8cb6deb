/**
 * Private images made from a server (Nova `createImage`, native `cloudimages/action` with `instance_id`): the
 * image is recorded `saving` with where it came from, then the server's host agent writes the disk into R2
 * (`HostDO.snapshot`) and the image becomes active. A simulated agent's disk is a deterministic function of the
 * server and the image it booted from, so that the same server always gives the same bytes (and a test can
 * check them).
 */
import { eq } from 'drizzle-orm';
import { STATUS } from '../../core/ecs/states.ts';
import type { Env } from '../../core/env.ts';
import { IMAGE } from '../../core/ims/states.ts';
import { type Image, servers } from '../../schema/tenant.ts';
import { recordJob } from '../ecs/jobs.ts';
import type { Ctx } from '../vpc/context.ts';
import { beginUpload, createImage, type ImageInput, refused, type Uploaded } from './images.ts';

/** The size of a simulated server's disk image. */
export const SIMULATED_DISK_BYTES = 1024 * 1024;

/** Server states Nova takes a snapshot in. */
const SNAPSHOTTABLE: string[] = [STATUS.ACTIVE, STATUS.SHUTOFF, 'PAUSED', 'SUSPENDED'];

/**
 * Records the image of a server, `saving`; 404 for an unknown server, 409 for one that cannot be imaged now.
 * Answers the image and the host whose agent reads the server's disk.
 */
export function beginSnapshot(ctx: Ctx, input: ImageInput, serverId: string, blobKey: string): { image: Image; hostId: string } {
  const s = ctx.db.select().from(servers).where(eq(servers.id, serverId)).get();
  if (!s || s.status === STATUS.DELETED) throw refused(404, `Instance ${serverId} could not be found.`);
  if (!SNAPSHOTTABLE.includes(s.status) || s.taskState)
    throw refused(409, `Cannot 'createImage' instance ${serverId} while it is in vm_state ${s.vmState ?? s.status.toLowerCase()}`);
  if (!s.hostId) throw refused(409, `Cannot 'createImage' instance ${serverId}: it runs on no host.`);
  createImage(ctx, { ...input, origin: { kind: 'instance', ref: serverId } });
  return { image: beginUpload(ctx, input.id, blobKey, SIMULATED_DISK_BYTES, IMAGE.SAVING), hostId: s.hostId };
}

/** The bytes of a simulated server's disk: a header naming it, then a pseudo-random fill seeded by the header. */
export function simulatedDisk(serverId: string, baseImageId: string): Uint8Array {
  const out = new Uint8Array(SIMULATED_DISK_BYTES);
  const header = new TextEncoder().encode(`FE simulated disk\nserver ${serverId}\nbase image ${baseImageId}\n`);
  out.set(header);
  let seed = 2_166_136_261;
  for (const b of header) seed = Math.imul(seed ^ b, 16_777_619) >>> 0;
  const words = new Uint32Array(out.buffer, 4096, (SIMULATED_DISK_BYTES - 4096) / 4);
  for (let i = 0; i < words.length; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    words[i] = seed >>> 0;
  }
  return out;
}

/** Records a native job over the making of an image: it succeeds when the image is active. */
export function recordImageJob(ctx: Ctx, job: { id: string; type: string }, imageId: string): void {
  recordJob(ctx, { ...job, kind: 'image', until: IMAGE.ACTIVE }, [imageId]);
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** Writes a disk image to R2 and answers its size and hashes. */
export async function writeDisk(env: Env, key: string, disk: Uint8Array): Promise<Uploaded> {
  const [md5, sha512] = await Promise.all([
    crypto.subtle.digest('MD5', disk),
    crypto.subtle.digest('SHA-512', disk),
    env.OBS_DATA.put(key, disk),
  ]);
  return { size: disk.byteLength, md5: hex(md5), sha512: hex(sha512) };
}
