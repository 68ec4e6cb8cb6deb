/** The TenantDO's private images (durable/ims/): their records, uploads and downloads, shares, and images of servers. */

import { UPLOAD_TTL_MS } from '../ims/alarm.ts';
import * as imgs from '../ims/images.ts';
import * as imagePatch from '../ims/patch.ts';
import * as snapshots from '../ims/snapshot.ts';
import { TenantStorage } from './storage.ts';

export abstract class TenantImages extends TenantStorage {
  // Their bytes are in R2 under `ims/<project>/<image id>`.

  /** Where an image's bytes live in R2. */
  private imageBlobKey(id: string): string {
    return `ims/${this.saga.projectId}/${id}`;
  }
  /** Creates an image from a Glance create body (its keys applied as a patch would apply them), with its native job. */
  createImage(input: imgs.ImageInput, body: Record<string, unknown> = {}, operator = false, job?: { id: string; type: string }) {
    return this.run((ctx) => {
      const row = imagePatch.createFromBody(ctx, input, body, operator);
      if (job) snapshots.recordImageJob(ctx, job, row.id);
      return row;
    });
  }
  image(id: string) {
    return this.run((ctx) => imgs.image(ctx, id));
  }
  /** The project's images (or those of the given ids). */
  images(ids?: string[]) {
    return this.run((ctx) => imgs.listImages(ctx, ids));
  }
  patchImage(id: string, ops: imagePatch.PatchOp[], operator: boolean) {
    return this.run((ctx) => imagePatch.patchImage(ctx, id, ops, operator));
  }
  /** Starts an upload of a queued image (within the bytes quota when its length is known): the R2 key to write. */
  async beginImageUpload(id: string, length: number | null, status?: Parameters<typeof imgs.beginUpload>[4]) {
    const r = this.run((ctx) => imgs.beginUpload(ctx, id, this.imageBlobKey(id), length, status));
    // The alarm gives the upload up if it never finishes (durable/ims/alarm.ts).
    if ('ok' in r) await this.alarmBy(Date.now() + Number(this.env.OBS_PENDING_TTL_MS ?? UPLOAD_TTL_MS));
    return r;
  }
  /** The upload is in R2: the image is active, with its size and hashes, and metered. */
  finishImageUpload(id: string, done: imgs.Uploaded) {
    return this.run((ctx) => imgs.finishUpload(ctx, id, done));
  }
  /** The upload failed: the image is queued again (or killed) and the partial bytes are dropped. */
  async abortImageUpload(id: string, fault: string, kill = false) {
    const r = this.run((ctx) => imgs.abortUpload(ctx, id, fault, kill));
    await this.env.OBS_DATA.delete(this.imageBlobKey(id));
    return r;
  }
  /** Deletes an image and then its bytes. */
  async deleteImage(id: string) {
    const r = this.run((ctx) => imgs.deleteImage(ctx, id));
    if ('ok' in r && r.ok.blobKey) await this.env.OBS_DATA.delete(r.ok.blobKey);
    return r;
  }
  setImageActive(id: string, active: boolean) {
    return this.run((ctx) => imgs.setActive(ctx, id, active));
  }
  tagImage(id: string, tag: string, add: boolean) {
    return this.run((ctx) => imgs.tag(ctx, id, tag, add));
  }
  /** Records a native job over an image (an export): it is done when the image is active. */
  imageJob(job: { id: string; type: string }, imageId: string) {
    return this.run((ctx) => snapshots.recordImageJob(ctx, job, imageId));
  }
  imageQuotas() {
    return this.run((ctx) => ({ limits: imgs.imageLimits(ctx), usage: imgs.imageUsage(ctx) }));
  }
  setImageQuotas(wanted: Partial<Record<imgs.ImageQuota, number>>) {
    return this.run((ctx) => imgs.setImageLimits(ctx, wanted));
  }

  /**
   * Makes an image of a server: recorded `saving` (with the native job over it, when given), then the host's agent
   * writes the server's disk to R2 and the image becomes active; a failed snapshot kills it.
   */
  async imageFromServer(input: imgs.ImageInput, serverId: string, baseImageId: string, job?: { id: string; type: string }) {
    const key = this.imageBlobKey(input.id);
    const r = this.run((ctx) => {
      const begun = snapshots.beginSnapshot(ctx, input, serverId, key);
      if (job) snapshots.recordImageJob(ctx, job, begun.image.id);
      return begun;
    });
    if ('error' in r) return r;
    await this.alarmBy(Date.now() + Number(this.env.OBS_PENDING_TTL_MS ?? UPLOAD_TTL_MS));
    try {
      const done = await this.env.HOST.getByName(r.ok.hostId).snapshot(serverId, baseImageId, key);
      if (!done) throw new Error(`host ${r.ok.hostId} does not run it`);
      return this.run((ctx) => imgs.finishUpload(ctx, input.id, done));
    } catch (err) {
      return this.abortImageUpload(input.id, `The server's disk could not be read: ${String(err)}`, true);
    }
  }
}
