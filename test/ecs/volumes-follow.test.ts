/**
 * Volumes follow their server, which keeps its id: a volume attached to a server on a host that fails is attached
 * to the recovered server, and one attached before a resize is still attached after it is confirmed.
 */
import { describe, expect, it } from 'vitest';
import { availableVolume, cinder, waitVolumeStatus } from '../evs/fixtures.ts';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { call, nova } from '../request.ts';
import { activeServer, bindings, type ComputeProject, computeProject, imageId, sleep, waitStatus } from './fixtures.ts';

/** A server booted from a volume with a data volume attached through Nova, both in-use. */
async function serverWithVolumes(p: ComputeProject, zone: string) {
  const server = await activeServer(p, {
    availability_zone: zone,
    imageRef: '',
    block_device_mapping_v2: [
      { uuid: await imageId(p.token), boot_index: 0, source_type: 'image', destination_type: 'volume', volume_size: 40 },
    ],
  });
  const data = await availableVolume(p, { size: 5, availability_zone: zone });
  const res = await nova(p.token, p.project, 'POST', `/servers/${server.id}/os-volume_attachments`, {
    volumeAttachment: { volumeId: data.id },
  });
  expect(res.status).toBe(200);
  await waitVolumeStatus(p, data.id, 'in-use');
  return { server, data };
}

/** What the server's volumes look like from both sides: its attachments, and each volume's status and server. */
async function volumeSides(p: ComputeProject, serverId: string) {
  const attachments = (await nova(p.token, p.project, 'GET', `/servers/${serverId}/os-volume_attachments`)).body.volumeAttachments;
  const volumes = [];
  for (const a of attachments) {
    const v = (await cinder(p, 'GET', `/volumes/${a.volumeId}`)).body.volume;
    volumes.push({ id: v.id, status: v.status, servers: v.attachments.map((x: any) => [x.server_id, x.device]) });
  }
  return { attachments, volumes };
}

describe('volumes follow their server', () => {
  it('a volume attached to a server on a failed host is attached to the recovered server', async () => {
    const p = await computeProject('follow');
    const op = await tokenFor(await operatorAccount());
    const { server, data } = await serverWithVolumes(p, 'eu-west-0c');
    const before = await volumeSides(p, server.id);
    expect(before.attachments).toHaveLength(2);
    expect(before.volumes.every((v) => v.status === 'in-use')).toBe(true);
    const tenant = bindings.TENANT.getByName(p.project);
    const failedHost = (await tenant.server(server.id))!.hostId!;
    expect((await call(`/ecs/admin/hosts/${failedHost}/fail`, { method: 'POST', token: op, json: { immediate: true } })).status).toBe(202);
    try {
      const end = Date.now() + 15_000;
      let moved = await tenant.server(server.id);
      while (Date.now() < end && !(moved?.status === 'ACTIVE' && moved.hostId !== failedHost && moved.taskState === null)) {
        await sleep(100);
        moved = await tenant.server(server.id);
      }
      expect(moved).toMatchObject({ id: server.id, status: 'ACTIVE' });
      expect(moved!.hostId).not.toBe(failedHost);
      expect(await volumeSides(p, server.id)).toEqual(before);
      // Still the server's to detach.
      expect((await nova(p.token, p.project, 'DELETE', `/servers/${server.id}/os-volume_attachments/${data.id}`)).status).toBe(202);
      await waitVolumeStatus(p, data.id, 'available');
    } finally {
      await call(`/ecs/admin/hosts/${failedHost}/revive`, { method: 'POST', token: op });
    }
  });

  it('keeps the attachments through a resize, once confirmed', async () => {
    const p = await computeProject('follow');
    const { server } = await serverWithVolumes(p, 'eu-west-0a');
    const before = await volumeSides(p, server.id);
    expect((await nova(p.token, p.project, 'POST', `/servers/${server.id}/action`, { resize: { flavorRef: 's3.medium.2' } })).status).toBe(
      202,
    );
    await waitStatus(p, server.id, 'VERIFY_RESIZE');
    // Nova attaches in vm_state resized too; the volume stays through the confirm.
    const late = await availableVolume(p, { size: 1, availability_zone: 'eu-west-0a' });
    const attached = await nova(p.token, p.project, 'POST', `/servers/${server.id}/os-volume_attachments`, {
      volumeAttachment: { volumeId: late.id },
    });
    expect(attached.status, JSON.stringify(attached.body)).toBe(200);
    await waitVolumeStatus(p, late.id, 'in-use');
    expect((await nova(p.token, p.project, 'POST', `/servers/${server.id}/action`, { confirmResize: null })).status).toBe(204);
    const after = await waitStatus(p, server.id, 'ACTIVE');
    expect(after.flavor.id).toBe('s3.medium.2');
    const sides = await volumeSides(p, server.id);
    expect(sides.attachments.map((a: any) => a.volumeId)).toContain(late.id);
    expect({
      ...sides,
      attachments: sides.attachments.filter((a: any) => a.volumeId !== late.id),
      volumes: sides.volumes.filter((v) => v.id !== late.id),
    }).toEqual(before);
    expect(after['os-extended-volumes:volumes_attached'].map((v: any) => v.id).sort()).toEqual(
      [...before.attachments.map((a: any) => a.volumeId), late.id].sort(),
    );
  });
});
