/**
 * The Console's ECS section as a user sees it: the wizard offers the project's own choices and shows a refusal
 * next to the field that caused it (no flavor, an unknown one, the quota), a created server appears in the live
 * rows in BUILD and reaches ACTIVE there, its page shows its addresses, disks, action log and console log, the
 * power actions and delete work; another tenant's server is neither listed nor reachable, and a user without
 * ecs:servers:create is refused the wizard.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type NativeTenant, nativeTenant, ok, vpc } from '../ecs/fixtures.ts';
import { createUser, newAccount } from '../fixtures.ts';
import { nova } from '../request.ts';
import { type ConsoleSession, signIn } from './console.ts';
import { fieldError, follow, rowIdOf, rowStatus, rowsUntil, words } from './console-pages.ts';

const ROWS = '/console/ecs/servers/rows';
const rowsUntilServer = (s: ConsoleSession, id: string, status: string) => rowsUntil(s, ROWS, { kind: 'server', id }, status);
const serverIdOf = (html: string, name: string) => rowIdOf(html, 'server', name);

describe('the Console ECS section', () => {
  let t: NativeTenant;
  let s: ConsoleSession;
  const base = () => ({ name: 'web', flavor: 's3.small.1', image: t.imageId, subnet: t.subnetId, auto_recovery: 'on', count: '1' });

  beforeAll(async () => {
    t = await nativeTenant('10.0.1.0/24');
    s = await signIn(t.account);
  });

  it("offers the project's own zones, flavors, images and VPC subnets in the wizard", async () => {
    const page = await s.page('/console/ecs/servers/new');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label for="flavor">Flavor</label>');
    expect(page.html).toContain('<option value="s3.small.1">');
    expect(page.html).toContain(`<option value="${t.imageId}">OBS Ubuntu 22.04`);
    expect(page.html).toContain(`<option value="${t.subnetId}">vpc-1 / sub-1 (10.0.1.0/24)</option>`);
    expect(page.html).toContain('<option value="eu-west-0a">');
    expect(page.html).toContain('<option value="new">A new EIP</option>');
    expect(page.html).toMatch(/<input type="checkbox" id="auto_recovery" name="auto_recovery" value="on" checked/);
  });

  it('shows a missing flavor, an unknown flavor and the quota next to their fields, keeping what was typed', async () => {
    const none = await s.post('/console/ecs/servers', { ...base(), flavor: '' });
    expect(none.status).toBe(400);
    expect(fieldError(none, 'flavor')).toBe('Choose a flavor.');
    expect(none.html).toMatch(/<select id="flavor" name="flavor" required="" aria-describedby="flavor-error" aria-invalid="true">/);
    expect(none.html).toContain('<input id="name" name="name" type="text" value="web"');

    const unknown = await s.post('/console/ecs/servers', { ...base(), flavor: 'nope.huge' });
    expect(unknown.status).toBe(400);
    expect(fieldError(unknown, 'flavor')).toBe('There is no flavor nope.huge: choose one of the list.');

    const many = await s.post('/console/ecs/servers', { ...base(), count: '21' });
    expect(many.status).toBe(403);
    expect(fieldError(many, 'count')).toBe("Not enough quota: this needs 21 servers, and 0 of the project's 20 are in use.");

    const badSubnet = await s.post('/console/ecs/servers', { ...base(), subnet: crypto.randomUUID() });
    expect(fieldError(badSubnet, 'subnet')).toBe('Choose a subnet of one of your VPCs.');
    // Nothing was made by a refused create.
    expect((await s.page('/console/ecs/servers/rows')).html).toContain('No servers yet.');
  });

  it('creates a server with a new EIP: the live rows show it in BUILD, then ACTIVE, and its page shows the rest', async () => {
    const made = await s.post('/console/ecs/servers', {
      ...base(),
      name: 'web-1',
      eip: 'new',
      bandwidth: '5',
      user_data: '#!/bin/sh\necho hi',
    });
    expect(made.status, made.html).toBe(303);
    expect(made.location).toBe('/console/ecs/servers');
    const list = { html: await follow(s, made) };
    expect(list.html).toContain('Server web-1 is being created.');
    expect(list.html).toContain('data-live="/console/ecs/servers/rows"');
    const id = serverIdOf(list.html, 'web-1')!;
    expect(id).toBeTruthy();
    expect(rowStatus(list.html, 'server', id)).toBe('BUILD');
    expect(list.html).toMatch(new RegExp(`<tr data-server="${id}" data-busy`));

    const seen = await rowsUntilServer(s, id, 'ACTIVE');
    expect(seen[0]).toBe('BUILD');
    expect(seen.at(-1)).toBe('ACTIVE');

    const page = await s.page(`/console/ecs/servers/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/10\.0\.1\.\d+/);
    expect(page.html).toMatch(/\d+\.\d+\.\d+\.\d+ \(EIP\)/);
    expect(page.html).toContain('System disk');
    expect(page.html).toContain('<td>create</td>');
    expect(page.html).toContain(`data-live="/console/ecs/servers/${id}/console"`);
    const log = await s.page(`/console/ecs/servers/${id}/console`);
    expect(log.status).toBe(200);
    expect(log.html).toContain('<pre class="log"');
  });

  it('stops and starts a server from its row, each followed to its end in the rows', async () => {
    const id = serverIdOf((await s.page('/console/ecs/servers')).html, 'web-1')!;
    const stop = await s.post(`/console/ecs/servers/${id}/stop`, { from: 'list' });
    expect(stop.status).toBe(303);
    expect(stop.location).toBe('/console/ecs/servers');
    await rowsUntilServer(s, id, 'SHUTOFF');
    // Stopping a stopped server is refused, in words, on the page it came from.
    const again = await s.post(`/console/ecs/servers/${id}/stop`, { from: 'server' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('role="alert"');
    expect(again.html).toContain('<h1>Server web-1</h1>');
    expect((await s.post(`/console/ecs/servers/${id}/start`, { from: 'server' })).location).toBe(`/console/ecs/servers/${id}`);
    await rowsUntilServer(s, id, 'ACTIVE');
  });

  it("neither lists nor reaches another tenant's server", async () => {
    const id = serverIdOf((await s.page('/console/ecs/servers')).html, 'web-1')!;
    const other = await signIn(await newAccount('console-ecs-other'));
    const rows = await other.page('/console/ecs/servers/rows');
    expect(rows.html).not.toContain(id);
    expect(rows.html).toContain('No servers yet.');
    expect((await other.page(`/console/ecs/servers/${id}`)).status).toBe(404);
    expect((await other.page(`/console/ecs/servers/${id}/summary`)).status).toBe(404);
    expect((await other.page(`/console/ecs/servers/${id}/console`)).status).toBe(404);
    for (const action of ['stop', 'reboot', 'delete']) expect((await other.post(`/console/ecs/servers/${id}/${action}`)).status).toBe(404);
    expect((await other.post(`/console/ecs/servers/${id}/resize`, { flavor: 's3.medium.2' })).status).toBe(404);
    expect(rowStatus((await s.page(ROWS)).html, 'server', id)).toBe('ACTIVE');
  });

  it('refuses the wizard to a user without ecs:servers:create, who still sees the list', async () => {
    const user = await createUser(t.account, t.token, { role: 'readonly' });
    const viewer = await signIn(t.account, { user: user.name, password: user.password });
    expect((await viewer.page('/console/ecs/servers')).status).toBe(200);
    const wizard = await viewer.page('/console/ecs/servers/new');
    expect(wizard.status).toBe(403);
    expect(words(wizard.html)).toContain("Policy doesn't allow ecs:servers:create to be performed.");
    const post = await viewer.post('/console/ecs/servers', { ...base(), name: 'sneaky' });
    expect(post.status).toBe(403);
    expect((await s.page('/console/ecs/servers/rows')).html).not.toContain('sneaky');
  });

  it('offers an unbound EIP of the project, and refuses it for more than one server next to its field', async () => {
    const eip = (
      await ok(vpc(t, 'POST', '/publicips', { publicip: { type: '5_bgp' }, bandwidth: { name: 'bw', size: 5, share_type: 'PER' } }))
    ).publicip;
    const until = Date.now() + 5000;
    let wizard = await s.page('/console/ecs/servers/new');
    while (!wizard.html.includes(`<option value="${eip.id}">`) && Date.now() < until) wizard = await s.page('/console/ecs/servers/new');
    expect(wizard.html).toMatch(new RegExp(`<option value="${eip.id}">Existing: \\d+\\.\\d+\\.\\d+\\.\\d+</option>`));
    const two = await s.post('/console/ecs/servers', { ...base(), name: 'pair', eip: eip.id, count: '2' });
    expect(two.status).toBe(400);
    expect(fieldError(two, 'eip')).toBe('An existing EIP goes to one server: create one server, or choose a new EIP.');
    await ok(vpc(t, 'DELETE', `/publicips/${eip.id}`), 204);
  });

  it('resizes a server, shows an unknown flavor next to its field, and confirms the resize', async () => {
    const id = serverIdOf((await s.page('/console/ecs/servers')).html, 'web-1')!;
    const unknown = await s.post(`/console/ecs/servers/${id}/resize`, { flavor: 'nope.huge' });
    expect(unknown.status).toBe(400);
    expect(fieldError(unknown, 'flavor')).toBe('There is no flavor nope.huge: choose one of the list.');
    expect(unknown.html).toContain('<h1>Server web-1</h1>');
    expect(await follow(s, await s.post(`/console/ecs/servers/${id}/resize`, { flavor: 's3.medium.2' }))).toContain(
      'is being resized to s3.medium.2',
    );
    await rowsUntilServer(s, id, 'VERIFY_RESIZE');
    expect((await s.page(`/console/ecs/servers/${id}/summary`)).html).toContain('Confirm resize');
    expect(await follow(s, await s.post(`/console/ecs/servers/${id}/confirm-resize`))).toContain('The resize of web-1 is confirmed.');
    await rowsUntilServer(s, id, 'ACTIVE');
    expect((await s.page(ROWS)).html).toContain('<td>s3.medium.2</td>');
  });

  it('gives the server what the wizard chose: key pair, security group, no auto-recovery, user data', async () => {
    expect((await nova(t.token, t.project, 'POST', '/os-keypairs', { keypair: { name: 'k1' } })).status).toBe(200);
    const wizard = await s.page('/console/ecs/servers/new');
    expect(wizard.html).toContain('<option value="k1">k1</option>');
    const group = /<select id="security_groups" name="security_groups" multiple=""[^>]*><option value="([^"]+)">default/.exec(
      wizard.html,
    )?.[1];
    expect(group).toBeTruthy();
    const fields = { ...base(), name: 'web-2', keypair: 'k1', security_groups: [group!], user_data: '#!/bin/sh\necho hi' };
    delete (fields as Partial<typeof fields>).auto_recovery;
    expect((await s.post('/console/ecs/servers', fields)).status).toBe(303);
    const id = serverIdOf((await s.page(ROWS)).html, 'web-2')!;
    await rowsUntilServer(s, id, 'ACTIVE');
    const page = await s.page(`/console/ecs/servers/${id}`);
    expect(page.html).toContain('<dt>Key pair</dt><dd>k1</dd>');
    expect(page.html).toContain('<dt>Auto-recovery</dt><dd>Off</dd>');
    expect(page.html).toContain('<dt>Image</dt><dd>OBS Ubuntu 22.04</dd>');
    const log = (await s.page(`/console/ecs/servers/${id}/console`)).html;
    expect(log).toContain('Authorized key k1');
    expect(log).toContain('user-data');
    const server = (await nova(t.token, t.project, 'GET', `/servers/${id}`)).body.server;
    expect(server.security_groups).toEqual([{ name: 'default' }]);
    expect((await s.post(`/console/ecs/servers/${id}/delete`)).status).toBe(303);
  });

  it('deletes a server with its EIP released', async () => {
    const id = serverIdOf((await s.page('/console/ecs/servers')).html, 'web-1')!;
    const del = await s.post(`/console/ecs/servers/${id}/delete`, { from: 'server', release_eip: 'on' });
    expect(del.status, del.html).toBe(303);
    const until = Date.now() + 15_000;
    // web-2, deleted by the test before, may still be going too: wait for both.
    while (!(await s.page('/console/ecs/servers/rows')).html.includes('No servers yet.') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect((await s.page('/console/ecs/servers/rows')).html).toContain('No servers yet.');
    const eips = await ok(vpc(t, 'GET', '/publicips'));
    expect(eips.publicips.filter((e: { status: string }) => e.status !== 'PENDING_DELETE')).toEqual([]);
  });
});
