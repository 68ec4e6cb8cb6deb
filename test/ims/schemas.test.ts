/** Glance's schema documents and the metadefs namespaces: served to any authenticated caller, not to anonymous ones. */
import { describe, expect, it } from 'vitest';
import { call } from '../request.ts';
import { expectGlanceError, glance, imageProject } from './fixtures.ts';

describe('schemas and metadefs', () => {
  it('describes images and members as this cloud serves them', async () => {
    const { token } = await imageProject();
    const image = (await glance(token, 'GET', '/v2/schemas/image')).body;
    expect(image.name).toBe('image');
    expect(image.properties.visibility.enum).toEqual(['public', 'private', 'shared', 'community']);
    expect(image.properties.disk_format.enum).toContain('qcow2');
    expect(image.properties.status.readOnly).toBe(true);
    expect(image.additionalProperties).toEqual({ type: 'string' });
    const images = (await glance(token, 'GET', '/v2/schemas/images')).body;
    expect(images.properties.images.items.name).toBe('image');
    expect((await glance(token, 'GET', '/v2/schemas/member')).body.properties.status.enum).toEqual(['pending', 'accepted', 'rejected']);
    expect((await glance(token, 'GET', '/v2/schemas/members')).body.properties.members.items.name).toBe('member');
    const anonymous = await call('/ims/v2/schemas/image');
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
  });

  it('lists a small set of namespaces, each readable, an unknown one 404', async () => {
    const { token } = await imageProject();
    const list = (await glance(token, 'GET', '/v2/metadefs/namespaces')).body;
    expect(list.namespaces.map((n: { namespace: string }) => n.namespace)).toEqual(['IMS::Image', 'OS::Compute::Hypervisor']);
    const one = (await glance(token, 'GET', '/v2/metadefs/namespaces/IMS::Image')).body;
    expect(Object.keys(one.properties)).toEqual(['__os_type', '__os_version', '__platform']);
    expectGlanceError(await glance(token, 'GET', '/v2/metadefs/namespaces/OS::Nope'), 404);
  });

  it('answers a path no route takes with a 404 in Glance or native words', async () => {
    const { token } = await imageProject();
    expectGlanceError(await glance(token, 'GET', '/v2/nothing-here'), 404);
    const native = await glance(token, 'GET', '/v1/cloudimages/nothing');
    expect(native.status).toBe(404);
    expect(native.body.error.code).toMatch(/^IMG\./);
  });
});
