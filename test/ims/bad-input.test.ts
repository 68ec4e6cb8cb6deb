/**
 * Every IMS route (the writes with every body, the reads with a bad query), fed bodies and queries that are not what it takes: never a 500, and the refusal is in the
 * route's own error shape (Glance's `{message, code, title}`, the native `{"error": {message, code}}`).
 */
import { describe, expect, it } from 'vitest';
import { app } from '../../workers/index.ts';
import { endpoints } from '../platform/route-checks.ts';
import { call } from '../request.ts';
import { bytesOf, createImage, imageProject, upload } from './fixtures.ts';

const BODIES: (string | undefined)[] = [
  undefined,
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '42',
  '{}',
  '[{}]',
  '[{"op":"add"}]',
  '[{"op":"replace","path":5,"value":1}]',
  JSON.stringify({ name: 'x'.repeat(100_000) }),
  JSON.stringify({ member: ['a'], status: { a: 1 }, name: null, instance_id: 7, image_url: ':', bucket_url: 'a:', min_disk: 'x' }),
  JSON.stringify([
    { op: 'add', path: '/tags', value: [null] },
    { op: 'add', path: '/x', value: { deep: [1] } },
  ]),
];
const TYPES = ['application/json', 'application/openstack-images-v2.1-json-patch', 'application/octet-stream', 'text/plain'];

describe('bad input on every IMS route', () => {
  it('is refused in the family shape, never with a 500', async () => {
    const { token, project } = await imageProject('imsbad');
    const img = await createImage(token);
    const active = await createImage(token);
    await upload(token, active.id, bytesOf(100));
    const routes = endpoints(app).filter((e) => e.path.startsWith('/ims/'));
    expect(routes.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const e of routes) {
      for (const id of [img.id, active.id]) {
        const path = e.path
          .replace('{image_id}', id)
          .replace('{member_id}', project)
          .replace('{project_id}', project)
          .replace('{job_id}', 'nope')
          .replace('{tag}', 't');
        const reads = e.method === 'GET';
        for (const body of reads ? [undefined] : BODIES)
          for (const type of reads ? ['application/json'] : TYPES) {
            const res = await call(`${path}?limit=x&sort=y:z`, {
              method: e.method,
              token,
              headers: { 'Content-Type': type, Accept: 'application/json' },
              body,
            });
            const text = await res.text();
            if (res.status >= 500) failures.push(`${e.method} ${path} ${type} ${body?.slice(0, 40)}: ${res.status} ${text.slice(0, 120)}`);
            else if (res.status >= 400) {
              const parsed = JSON.parse(text);
              const native = /^\/ims\/(v1\/|v2\/cloudimages)/.test(path);
              const shaped = native
                ? typeof parsed.error?.message === 'string' && /^IMG\./.test(parsed.error.code)
                : typeof parsed.message === 'string';
              if (!shaped) failures.push(`${e.method} ${path}: ${res.status} not in its shape: ${text.slice(0, 120)}`);
            }
          }
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 120_000);
});
