/**
 * The Console's storage sections as a user sees them. EVS: a volume created from the form (a bad size shown next
 * to its field) reaches available in the live rows, is attached to a server and detached, extended, snapshotted
 * and deleted. IMS: an image made from a server appears and is deleted. VBS: a volume backed up, restored onto a
 * new volume, the backup deleted. Another tenant reaches none of them; a read-only user is refused the creates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activeServer, type ComputeProject, computeProject } from '../ecs/fixtures.ts';
import { createUser, newAccount } from '../fixtures.ts';
import { type ConsoleSession, signIn } from './console.ts';
import { fieldError, follow, rowIdOf, rowStatus, rowsUntil, words } from './console-pages.ts';

const VOLUMES = '/console/evs/volumes/rows';

describe('the Console storage sections', () => {
  let p: ComputeProject;
  let s: ConsoleSession;
  let server: { id: string; name: string; zone: string };
  let volumeId: string;

  beforeAll(async () => {
    p = await computeProject('console-storage');
    const vm = await activeServer(p, { name: 'vm-1' });
    server = { id: vm.id, name: 'vm-1', zone: vm['OS-EXT-AZ:availability_zone'] };
    s = await signIn(p.account);
  });

  it('creates a volume from the form, with a bad size shown next to its field, and follows it to available', async () => {
    const bad = await s.post('/console/evs/volumes', { name: 'data-1', size: '0', volume_type: 'SSD', zone: server.zone });
    expect(bad.status).toBe(400);
    expect(fieldError(bad, 'size')).toBe('The size is at least 1.');
    expect(bad.html).toContain('<input id="name" name="name" type="text" value="data-1"');

    const made = await s.post('/console/evs/volumes', { name: 'data-1', size: '10', volume_type: 'SSD', zone: server.zone });
    expect(await follow(s, made)).toContain('Volume data-1 is being created.');
    volumeId = rowIdOf((await s.page(VOLUMES)).html, 'volume', 'data-1')!;
    expect(volumeId).toBeTruthy();
    await rowsUntil(s, VOLUMES, { kind: 'volume', id: volumeId }, 'available');
    const page = await s.page(`/console/evs/volumes/${volumeId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<dd>10 GB</dd>');
    expect(page.html).toContain('<dd>SSD</dd>');
  });

  it('attaches the volume to a server and detaches it, the server page listing it meanwhile', async () => {
    const none = await s.post(`/console/evs/volumes/${volumeId}/attach`, { server: '' });
    expect(none.status).toBe(400);
    expect(fieldError(none, 'server')).toBe('Choose a server.');
    const attached = await s.post(`/console/evs/volumes/${volumeId}/attach`, { server: server.id });
    expect(await follow(s, attached)).toMatch(/The volume is being attached as \/dev\/vd[b-z]\./);
    await rowsUntil(s, VOLUMES, { kind: 'volume', id: volumeId }, 'in-use');
    expect((await s.page(`/console/ecs/servers/${server.id}`)).html).toContain(`/console/evs/volumes/${volumeId}`);
    expect((await s.page(VOLUMES)).html).toContain(`>vm-1 (/dev/vd`);
    const detached = await s.post(`/console/evs/volumes/${volumeId}/detach`, { server: server.id });
    expect(await follow(s, detached)).toContain('The volume is being detached.');
    await rowsUntil(s, VOLUMES, { kind: 'volume', id: volumeId }, 'available');
  });

  it('extends the volume and takes a snapshot of it, then deletes the snapshot', async () => {
    const smaller = await s.post(`/console/evs/volumes/${volumeId}/extend`, { new_size: '5' });
    expect(smaller.status).toBe(400);
    expect(words(smaller.html)).toContain('role="alert"');
    expect(await follow(s, await s.post(`/console/evs/volumes/${volumeId}/extend`, { new_size: '20' }))).toContain('extended to 20 GB');
    await rowsUntil(s, VOLUMES, { kind: 'volume', id: volumeId }, 'available');
    expect((await s.page(`/console/evs/volumes/${volumeId}`)).html).toContain('<dd>20 GB</dd>');

    const snap = await s.post(`/console/evs/volumes/${volumeId}/snapshots`, { snapshot_name: 'snap-1' });
    expect(await follow(s, snap)).toContain('Snapshot snap-1 is being taken.');
    const snapshotId = rowIdOf((await s.page('/console/evs/snapshots')).html, 'snapshot', 'snap-1')!;
    await rowsUntil(s, '/console/evs/snapshots', { kind: 'snapshot', id: snapshotId }, 'available');
    expect(await follow(s, await s.post(`/console/evs/snapshots/${snapshotId}/delete`))).toContain('The snapshot is being deleted.');
  });

  it('backs the volume up, restores the backup onto a new volume, and deletes the backup', async () => {
    const none = await s.post('/console/vbs/backups', { volume: '', name: 'b-1' });
    expect(fieldError(none, 'volume')).toBe('Choose a volume.');
    expect(await follow(s, await s.post('/console/vbs/backups', { volume: volumeId, name: 'b-1' }))).toContain('Backup b-1 is being made.');
    const rows = '/console/vbs/backups/rows';
    const backupId = rowIdOf((await s.page(rows)).html, 'backup', 'b-1')!;
    expect(backupId).toBeTruthy();
    await rowsUntil(s, rows, { kind: 'backup', id: backupId }, 'available');
    const restored = await follow(s, await s.post(`/console/vbs/backups/${backupId}/restore`, { volume: '' }));
    expect(restored).toContain('The backup is being restored onto volume restore_backup_');
    await rowsUntil(s, rows, { kind: 'backup', id: backupId }, 'available');
    expect(await follow(s, await s.post(`/console/vbs/backups/${backupId}/delete`))).toContain('The backup is being deleted.');
  });

  it('makes an image of a server, lists it, and deletes it', async () => {
    const made = await s.post('/console/ims/images', { server: server.id, name: 'img-1' });
    expect(await follow(s, made)).toContain('Image img-1 is being made.');
    const rows = '/console/ims/images/rows';
    const imageId = rowIdOf((await s.page(rows)).html, 'image', 'img-1')!;
    expect(imageId).toBeTruthy();
    await rowsUntil(s, rows, { kind: 'image', id: imageId }, 'active');
    expect((await s.page('/console/ims/images')).html).toContain('<caption>Public images</caption>');
    expect(await follow(s, await s.post(`/console/ims/images/${imageId}/delete`))).toContain('The image is deleted.');
    expect((await s.page(rows)).html).not.toContain(imageId);
  });

  it("reaches none of another tenant's volumes, snapshots, backups or images", async () => {
    const other = await signIn(await newAccount('console-storage-other'));
    expect((await other.page(VOLUMES)).html).toContain('No volumes yet.');
    expect((await other.page(`/console/evs/volumes/${volumeId}`)).status).toBe(404);
    expect((await other.page(`/console/evs/volumes/${volumeId}/summary`)).status).toBe(404);
    for (const action of ['delete', 'extend', 'snapshots', 'attach']) {
      const r = await other.post(`/console/evs/volumes/${volumeId}/${action}`, { new_size: '30', snapshot_name: 'x', server: server.id });
      expect(r.status, action).toBe(404);
    }
    expect((await other.post('/console/vbs/backups', { volume: volumeId, name: 'taken' })).status).toBe(404);
    expect((await other.post('/console/ims/images', { server: server.id, name: 'taken' })).status).toBe(404);
    expect(rowStatus((await s.page(VOLUMES)).html, 'volume', volumeId)).toBe('available');
  });

  it('refuses the creates to a read-only user, and deletes the volume for its owner', async () => {
    const user = await createUser(p.account, p.token, { role: 'readonly' });
    const viewer = await signIn(p.account, { user: user.name, password: user.password });
    expect((await viewer.page('/console/evs/volumes')).status).toBe(200);
    const refused = await viewer.post('/console/evs/volumes', { name: 'sneaky', size: '10' });
    expect(refused.status).toBe(403);
    expect(words(refused.html)).toContain("Policy doesn't allow evs:volumes:create to be performed.");
    expect((await viewer.post(`/console/evs/volumes/${volumeId}/delete`)).status).toBe(403);
    expect(await follow(s, await s.post(`/console/evs/volumes/${volumeId}/delete`))).toContain('is being deleted.');
  });
});
