/** Conventions every API follows: error envelopes per family, request ids, pagination, service hosts. */
import { describe, expect, it } from 'vitest';
import { errorBody } from '../../workers/lib/errors.ts';
import { paginate } from '../../workers/lib/pagination.ts';
import { routeServiceHost } from '../../workers/service-hosts.ts';
import { call } from '../request.ts';

describe('error envelopes', () => {
  it('shapes each family as its clients expect', () => {
    expect(errorBody('keystone', 404, 'gone', undefined, 'r1')).toEqual({
      json: { error: { code: 404, title: 'Not Found', message: 'gone' } },
    });
    expect(errorBody('nova', 404, 'gone', undefined, 'r1')).toEqual({ json: { itemNotFound: { code: 404, message: 'gone' } } });
    expect(errorBody('nova', 409, 'busy', undefined, 'r1')).toEqual({ json: { conflictingRequest: { code: 409, message: 'busy' } } });
    expect(errorBody('neutron', 409, 'in use', 'SubnetInUse', 'r1')).toEqual({
      json: { NeutronError: { type: 'SubnetInUse', message: 'in use', detail: '' } },
    });
    expect(errorBody('native', 400, 'bad', 'VPC.0002', 'r1')).toEqual({
      json: { error_code: 'VPC.0002', error_msg: 'bad', request_id: 'r1' },
    });
    const xml = errorBody('s3', 404, 'No <such> key', 'NoSuchKey', 'r1');
    expect('xml' in xml && xml.xml).toContain('<Code>NoSuchKey</Code><Message>No &lt;such&gt; key</Message><RequestId>r1</RequestId>');
  });

  it('answers unknown paths with 404 and a request id, never a stack trace', async () => {
    const res = await call('/iam/v3/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('X-Openstack-Request-Id')).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(await res.text()).not.toContain('at ');
  });
});

describe('pagination', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  it('cuts pages after the marker and says where the next one starts', () => {
    expect(paginate(items, (x) => x, 2)).toEqual({ items: ['a', 'b'], next: 'b' });
    expect(paginate(items, (x) => x, 2, 'b')).toEqual({ items: ['c', 'd'], next: 'd' });
    expect(paginate(items, (x) => x, 2, 'd')).toEqual({ items: ['e'], next: undefined });
    expect(paginate(items, (x) => x, undefined, 'c')).toEqual({ items: ['d', 'e'] });
  });
  it('refuses an unknown marker', () => {
    expect(() => paginate(items, (x) => x, 2, 'zz')).toThrow(/marker/);
  });
});

describe('service hosts', () => {
  it('serves ecs.{region}.{domain} as /ecs on the one origin, and leaves other hosts alone', () => {
    expect(new URL(routeServiceHost(new Request('https://ecs.eu-west-0.example.com/v2.1/p/servers')).url).pathname).toBe(
      '/ecs/v2.1/p/servers',
    );
    expect(new URL(routeServiceHost(new Request('https://iam.eu-west-0.example.com/v3/auth/tokens')).url).pathname).toBe(
      '/iam/v3/auth/tokens',
    );
    expect(new URL(routeServiceHost(new Request('https://cloud.example.com/iam/v3')).url).pathname).toBe('/iam/v3');
    expect(new URL(routeServiceHost(new Request('https://ecs.nowhere-9.example.com/v2.1')).url).pathname).toBe('/v2.1');
  });
});
