/**
 * Boot from volume and the volumes a server is created with: Nova's block_device_mapping_v2 and the native
 * root_volume / data_volumes make EVS volumes with the server (one transaction, within the storage quotas), held by
 * its build and in-use once it is ACTIVE; the boot disk cannot be detached; a deleted server takes the volumes
 * marked delete_on_termination with it and leaves the others available.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { StorageMessage } from '../../core/evs/messages.ts';
import { consumeStorage } from '../../workers/evs/manager.ts';
import { cinder, heldGb, waitVolumeStatus } from '../evs/fixtures.ts';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { expectNovaError, nova, send } from '../request.ts';
import {
  bindings,
  boot,
  type ComputeProject,
  computeProject,
  created,
  ecs,
  holdZone,
  imageId,
  nativeServer,
  nativeTenant,
  ok,
  settled,
  waitGone,
  waitStatus,
} from './fixtures.ts';

/** The project's volumes, by id. */
async function volumes(p: Pick<ComputeProject, 'token' | 'project'>): Promise<Map<string, any>> {
  const list = (await cinder(p, 'GET', '/volumes/detail')).body.volumes as any[];
  return new Map(list.map((v) => [v.id, v]));
}

/** The server as Nova shows it at 2.3 (volumes_attached with their deletion flag). */
const show = async (p: ComputeProject, id: string) =>
  (await nova(p.token, p.project, 'GET', `/servers/${id}`, undefined, { 'OpenStack-API-Version': 'compute 2.3' })).body.server;

describe('boot from volume (Nova block_device_mapping_v2)', () => {
  it('boots from a volume made from the image, as `server create --boot-from-volume 40` asks; it outlives the server', async () => {
    const p = await computeProject('bfv');
    const image = await imageId(p.token);
    // The body OSC sends: no imageRef, the image in the mapping, boot_index as a string. The image needs 40 GB.
    const bfv = (size: number) => ({
      imageRef: '',
      block_device_mapping_v2: [{ uuid: image, boot_index: '0', source_type: 'image', destination_type: 'volume', volume_size: size }],
    });
    const small = await nova(p.token, p.project, 'POST', '/servers', {
      server: { name: 'vm', flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }], ...bfv(10) },
    });
    expectNovaError(small, 400, 'badRequest', /minDisk size 40 is larger than the volume size 10/);
    const { id } = await boot(p, bfv(40));
    const building = [...(await volumes(p)).values()];
    expect(building).toHaveLength(1);
    expect(building[0]).toMatchObject({ size: 40, bootable: 'true', volume_image_metadata: expect.objectContaining({ image_id: image }) });
    expect(['creating', 'attaching', 'in-use']).toContain(building[0].status);
    const s = await waitStatus(p, id, 'ACTIVE');
    const root = (await volumes(p)).get(building[0].id);
    expect(root).toMatchObject({ status: 'in-use', attachments: [expect.objectContaining({ server_id: id, device: '/dev/vda' })] });
    expect(await heldGb(root.availability_zone, root.id)).toBe(40);
    expect(root.availability_zone).toBe(s['OS-EXT-AZ:availability_zone']);
    expect(s.image).toBe('');
    expect((await show(p, id))['os-extended-volumes:volumes_attached']).toEqual([{ id: root.id, delete_on_termination: false }]);
    const listed = (await nova(p.token, p.project, 'GET', `/servers/${id}/os-volume_attachments`)).body.volumeAttachments;
    expect(listed).toEqual([{ id: root.id, serverId: id, volumeId: root.id, device: '/dev/vda' }]);
    // A rebuild does not rewrite a volume: another image is refused (Nova before 2.93).
    const other = await imageId(p.token, 'OBS Ubuntu 20.04');
    const rebuild = await nova(p.token, p.project, 'POST', `/servers/${id}/action`, { rebuild: { imageRef: other } });
    expectNovaError(rebuild, 400, 'badRequest', /Unable to rebuild with a different image for a volume-backed server/);
    // The boot disk stays.
    const detach = await nova(p.token, p.project, 'DELETE', `/servers/${id}/os-volume_attachments/${root.id}`);
    expectNovaError(detach, 400, 'badRequest', 'Cannot detach a root device volume');

    // Not marked delete_on_termination (OSC's default): the volume outlives its server, available again.
    expect((await nova(p.token, p.project, 'DELETE', `/servers/${id}`)).status).toBe(204);
    await waitGone(p, id);
    expect((await waitVolumeStatus(p, root.id, 'available')).attachments).toEqual([]);
  });

  it('boots from an existing bootable volume and adds a blank data disk; delete_on_termination takes them with the server', async () => {
    const p = await computeProject('bfv');
    const image = await imageId(p.token);
    const first = await boot(p, {
      imageRef: '',
      block_device_mapping_v2: [
        { uuid: image, boot_index: 0, source_type: 'image', destination_type: 'volume', volume_size: 42, delete_on_termination: true },
        { boot_index: -1, source_type: 'blank', destination_type: 'volume', volume_size: 3, delete_on_termination: 'true' },
      ],
    });
    const s = await waitStatus(p, first.id, 'ACTIVE');
    const attached = (await show(p, first.id))['os-extended-volumes:volumes_attached'];
    expect(attached).toHaveLength(2);
    const byDevice = Object.fromEntries(
      (await nova(p.token, p.project, 'GET', `/servers/${first.id}/os-volume_attachments`)).body.volumeAttachments.map((a: any) => [
        a.device,
        a.volumeId,
      ]),
    );
    expect(Object.keys(byDevice).sort()).toEqual(['/dev/vda', '/dev/vdb']);
    const all = await volumes(p);
    expect(all.get(byDevice['/dev/vdb']!)).toMatchObject({ size: 3, bootable: 'false', status: 'in-use' });

    expect((await nova(p.token, p.project, 'DELETE', `/servers/${first.id}`)).status).toBe(204);
    await waitGone(p, first.id);
    for (const v of Object.values(byDevice)) {
      await waitVolumeStatus(p, v as string, 'deleted');
      expect(await heldGb(s['OS-EXT-AZ:availability_zone'], v as string)).toBeUndefined();
    }

    // An existing bootable volume, in the server's zone.
    const zone = s['OS-EXT-AZ:availability_zone'];
    const made = await cinder(p, 'POST', '/volumes', { volume: { size: 40, imageRef: image, availability_zone: zone } });
    const bootable = await waitVolumeStatus(p, made.body.volume.id, 'available');
    const second = await boot(p, {
      imageRef: '',
      availability_zone: zone,
      block_device_mapping_v2: [{ uuid: bootable.id, boot_index: '0', source_type: 'volume', destination_type: 'volume' }],
    });
    await waitStatus(p, second.id, 'ACTIVE');
    expect((await volumes(p)).get(bootable.id)).toMatchObject({
      status: 'in-use',
      attachments: [expect.objectContaining({ device: '/dev/vda' })],
    });
  });

  it('refuses bad mappings, a volume that is not bootable, or the storage quota passed, writing nothing', async () => {
    const p = await computeProject('bfv');
    const image = await imageId(p.token);
    const post = (server: Record<string, unknown>) =>
      nova(p.token, p.project, 'POST', '/servers', {
        server: { name: 'vm', flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }], ...server },
      });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ imageRef: '' }, /Boot sequence/],
      [
        { imageRef: '', block_device_mapping_v2: [{ uuid: image, boot_index: 0, source_type: 'image', destination_type: 'volume' }] },
        /non-zero size/,
      ],
      [
        { imageRef: image, block_device_mapping_v2: [{ boot_index: -1, source_type: 'blank', destination_type: 'local', volume_size: 1 }] },
        /ephemeral and swap/,
      ],
      [
        { imageRef: '', block_device_mapping_v2: [{ uuid: crypto.randomUUID(), boot_index: 0, source_type: 'volume' }] },
        /failed to get volume/,
      ],
      [{ imageRef: '', block_device_mapping_v2: [{ boot_index: 0, source_type: 'tape' }] }, /source_type/],
      [
        {
          imageRef: '',
          max_count: 2,
          block_device_mapping_v2: [{ uuid: crypto.randomUUID(), boot_index: 0, source_type: 'volume', destination_type: 'volume' }],
        },
        /multiple instances/,
      ],
    ];
    for (const [server, message] of cases) {
      const res = await post(server);
      expect(res.status, JSON.stringify(server)).toBe(400);
      expectNovaError(res, 400, 'badRequest', message);
    }
    // A blank, non-bootable volume cannot be booted from.
    const blank = (await cinder(p, 'POST', '/volumes', { volume: { size: 1 } })).body.volume;
    await waitVolumeStatus(p, blank.id, 'available');
    const notBootable = await post({
      imageRef: '',
      availability_zone: blank.availability_zone,
      block_device_mapping_v2: [{ uuid: blank.id, boot_index: 0, source_type: 'volume', destination_type: 'volume' }],
    });
    expect(notBootable.status).toBe(400);

    // The storage quota is checked with the instances quota: 2 volumes allowed, one exists, two more asked.
    const op = await operatorAccount();
    const admin = await tokenFor(op);
    expect(
      (await send(admin, 'PUT', `/evs/v3/${op.projects[0]!.id}/os-quota-sets/${p.project}`, { quota_set: { volumes: 2 } })).status,
    ).toBe(200);
    const over = await post({
      imageRef: image,
      block_device_mapping_v2: [
        { boot_index: -1, source_type: 'blank', destination_type: 'volume', volume_size: 1 },
        { boot_index: -1, source_type: 'blank', destination_type: 'volume', volume_size: 1 },
      ],
    });
    expectNovaError(over, 413, 'overLimit', /volumes/);
    expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers).toEqual([]);
    expect([...(await volumes(p)).keys()]).toEqual([blank.id]);
  });
});

describe('a server being built owns its volumes', () => {
  it('a build refused after its volumes were held fails the server and releases everything: holds, usage, claim', async () => {
    const p = await computeProject('bfv');
    // No bare-metal host in eu-west-0c: the claim is refused after the boot volume is held.
    const { id } = await boot(p, {
      availability_zone: 'eu-west-0c',
      flavorRef: 'physical.s4.medium',
      imageRef: '',
      block_device_mapping_v2: [
        {
          uuid: await imageId(p.token, 'OBS Ubuntu 22.04 BMS'),
          boot_index: 0,
          source_type: 'image',
          destination_type: 'volume',
          volume_size: 100,
          delete_on_termination: true,
        },
      ],
    });
    const s = await waitStatus(p, id, 'ERROR');
    expect(s.fault.message).toMatch(/No valid host/);
    const [root] = [...(await volumes(p)).values()];
    expect(root).toMatchObject({ status: 'error', size: 100 });
    expect(await heldGb('eu-west-0c', root.id)).toBeUndefined();
    const events = await runInDurableObject(bindings.TENANT.getByName(p.project), async (_o, state) =>
      state.storage.sql.exec('SELECT action FROM usage_events WHERE resource_id = ? ORDER BY at', root.id).toArray(),
    );
    expect(events.map((e) => e.action)).toEqual(['start', 'stop']);
    // Deleting the failed server takes the volume marked to go with it.
    expect((await nova(p.token, p.project, 'DELETE', `/servers/${id}`)).status).toBe(204);
    await waitVolumeStatus(p, root.id, 'deleted');
  });

  it("ignores an attach step for them (the storage alarm's redrive): they are in-use only once the server is ACTIVE", async () => {
    const p = await computeProject('bfv');
    const zone = 'eu-west-0b';
    const held = await holdZone(zone, 800);
    const { id } = await boot(p, {
      availability_zone: zone,
      block_device_mapping_v2: [{ boot_index: -1, source_type: 'blank', destination_type: 'volume', volume_size: 2 }],
    });
    const [volume] = [...(await volumes(p)).values()];
    const batch = createMessageBatch<StorageMessage>('fe-storage', [
      {
        id: crypto.randomUUID(),
        timestamp: new Date(),
        attempts: 1,
        body: { kind: 'attach', projectId: p.project, volumeId: volume.id, serverId: id },
      },
    ]);
    await consumeStorage(batch, bindings);
    await getQueueResult(batch, createExecutionContext());
    // Still being attached (Cinder shows no attachment until it is done), and not in-use.
    expect((await volumes(p)).get(volume.id)).toMatchObject({ status: 'creating', attachments: [] });
    await held.released;
    await waitStatus(p, id, 'ACTIVE');
    expect((await volumes(p)).get(volume.id)).toMatchObject({
      status: 'in-use',
      attachments: [expect.objectContaining({ server_id: id })],
    });
  });
});

describe('native root_volume and data_volumes', () => {
  it('makes the system disk from the image and the data disks, in-use once ACTIVE; a delete takes the system disk only', async () => {
    const t = await nativeTenant('10.0.8.0/24');
    const { ids } = await created(t, { root_volume: { volumetype: 'SSD', size: 50 }, data_volumes: [{ volumetype: 'SATA', size: 20 }] });
    const server = await nativeServer(t, ids[0]!);
    const attached = server['os-extended-volumes:volumes_attached'];
    expect(attached).toEqual([
      { id: expect.any(String), delete_on_termination: 'true', bootIndex: '0', device: '/dev/vda' },
      { id: expect.any(String), delete_on_termination: 'false', device: '/dev/vdb' },
    ]);
    const p = { token: t.token, project: t.project };
    const all = await volumes(p);
    expect(all.get(attached[0].id)).toMatchObject({ size: 50, volume_type: 'SSD', status: 'in-use', bootable: 'true' });
    expect(all.get(attached[1].id)).toMatchObject({ size: 20, volume_type: 'SATA', status: 'in-use' });

    const deleted = await ok(ecs(t, 'POST', '/cloudservers/delete', { servers: [{ id: server.id }] }));
    await settled(t, deleted.job_id);
    await waitVolumeStatus(p, attached[0].id, 'deleted');
    expect(await waitVolumeStatus(p, attached[1].id, 'available')).toMatchObject({ attachments: [] });

    // delete_volume takes the data disks too.
    const again = await created(t, { data_volumes: [{ volumetype: 'SAS', size: 10 }] });
    const disks = (await nativeServer(t, again.ids[0]!))['os-extended-volumes:volumes_attached'].map((v: any) => v.id);
    expect(disks).toHaveLength(2);
    const gone = await ok(ecs(t, 'POST', '/cloudservers/delete', { servers: [{ id: again.ids[0] }], delete_volume: true }));
    await settled(t, gone.job_id);
    for (const id of disks) await waitVolumeStatus(p, id, 'deleted');
  });
});
