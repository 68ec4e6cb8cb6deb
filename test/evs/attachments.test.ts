/**
 * Block storage seen from Cinder while volumes are attached to servers: an attached volume cannot be deleted,
 * operators see the host its server runs on, and the volumes of concurrent server creates are counted in the same
 * transaction as the servers, so that the volume quota is never passed.
 */
import { describe, expect, it } from 'vitest';
import { activeServer, bindings, computeProject, imageId } from '../ecs/fixtures.ts';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { nova, send } from '../request.ts';
import { networkWithSubnet } from '../vpc/fixtures.ts';
import { availableVolume, cinder, waitVolumeStatus } from './fixtures.ts';

describe('attached volumes in Cinder', () => {
  it('refuses to delete an attached volume, with the reason; once detached it may go', async () => {
    const p = await computeProject('evsatt');
    const server = await activeServer(p);
    const v = await availableVolume(p, { size: 1, availability_zone: server['OS-EXT-AZ:availability_zone'] });
    await nova(p.token, p.project, 'POST', `/servers/${server.id}/os-volume_attachments`, { volumeAttachment: { volumeId: v.id } });
    await waitVolumeStatus(p, v.id, 'in-use');
    const refused = await cinder(p, 'DELETE', `/volumes/${v.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.badRequest.message).toContain(`attached to server ${server.id}`);
    expect((await cinder(p, 'GET', `/volumes/${v.id}`)).body.volume.status).toBe('in-use');
    await nova(p.token, p.project, 'DELETE', `/servers/${server.id}/os-volume_attachments/${v.id}`);
    await waitVolumeStatus(p, v.id, 'available');
    expect((await cinder(p, 'DELETE', `/volumes/${v.id}`)).status).toBe(202);
  });

  it("shows operators the host of the volume's server (host_name); customers see null", async () => {
    const account = await operatorAccount();
    const project = account.projects[0]!.id;
    const token = await tokenFor(account, { scope: { project: { id: project } } });
    const { network, subnet } = await networkWithSubnet(token, '10.8.0.0/24');
    const op = { account, token, project, region: account.projects[0]!.name, network, subnet };
    const server = await activeServer(op);
    const v = await availableVolume(op, { size: 1, availability_zone: server['OS-EXT-AZ:availability_zone'] });
    await nova(token, project, 'POST', `/servers/${server.id}/os-volume_attachments`, { volumeAttachment: { volumeId: v.id } });
    const shown = await waitVolumeStatus(op, v.id, 'in-use');
    const hostId = (await bindings.TENANT.getByName(project).server(server.id))!.hostId;
    expect(shown.attachments).toEqual([expect.objectContaining({ server_id: server.id, host_name: hostId, device: '/dev/vdb' })]);

    const p = await computeProject('evsatt');
    const mine = await activeServer(p);
    const w = await availableVolume(p, { size: 1, availability_zone: mine['OS-EXT-AZ:availability_zone'] });
    await nova(p.token, p.project, 'POST', `/servers/${mine.id}/os-volume_attachments`, { volumeAttachment: { volumeId: w.id } });
    expect((await waitVolumeStatus(p, w.id, 'in-use')).attachments[0].host_name).toBeNull();
  });

  it('counts the volumes of concurrent server creates with them: exactly the volume quota is made', async () => {
    const p = await computeProject('evsatt');
    const op = await operatorAccount();
    const admin = await tokenFor(op);
    const set = await send(admin, 'PUT', `/evs/v3/${op.projects[0]!.id}/os-quota-sets/${p.project}`, { quota_set: { volumes: 3 } });
    expect(set.status).toBe(200);
    const image = await imageId(p.token);
    const body = {
      server: {
        name: 'vm',
        imageRef: image,
        flavorRef: 's3.small.1',
        networks: [{ uuid: p.network.id }],
        block_device_mapping_v2: [{ boot_index: -1, source_type: 'blank', destination_type: 'volume', volume_size: 1 }],
      },
    };
    const replies = await Promise.all(Array.from({ length: 6 }, () => nova(p.token, p.project, 'POST', '/servers', body)));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(3);
    expect(replies.filter((r) => r.status !== 202).every((r) => r.status === 413 && /volumes/.test(r.body.overLimit.message))).toBe(true);
    expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers).toHaveLength(3);
    expect((await cinder(p, 'GET', '/volumes')).body.volumes).toHaveLength(3);
  });
});
