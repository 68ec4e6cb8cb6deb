import { describe, expect, it } from 'vitest';
import { call, send } from '../request.ts';
import { createStack, heat, heatProject, inventory, settled } from './fixtures.ts';

/** The slice's template: a network with its subnet behind a router, a group, a server on a port, a volume on it, an EIP. */
const SMALL = {
  heat_template_version: '2016-04-08',
  description: 'a server with a volume and a floating IP',
  parameters: {
    flavor: { type: 'string', default: 's3.small.1' },
    size: { type: 'number', default: 10 },
    zone: { type: 'string', default: 'eu-west-0a' },
  },
  resources: {
    net: { type: 'OS::Neutron::Net', properties: { name: 'app-net' } },
    subnet: { type: 'OS::Neutron::Subnet', properties: { network: { get_resource: 'net' }, cidr: '10.20.0.0/24' } },
    router: { type: 'OS::Neutron::Router', properties: { external_gateway_info: { network: 'admin_external_net' } } },
    router_interface: {
      type: 'OS::Neutron::RouterInterface',
      properties: { router: { get_resource: 'router' }, subnet: { get_resource: 'subnet' } },
    },
    sg: {
      type: 'OS::Neutron::SecurityGroup',
      properties: { rules: [{ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' }] },
    },
    port: {
      type: 'OS::Neutron::Port',
      depends_on: 'subnet',
      properties: { network: { get_resource: 'net' }, security_groups: [{ get_resource: 'sg' }] },
    },
    server: {
      type: 'OS::Nova::Server',
      properties: {
        image: 'OBS Ubuntu 22.04',
        flavor: { get_param: 'flavor' },
        availability_zone: { get_param: 'zone' },
        networks: [{ port: { get_resource: 'port' } }],
      },
    },
    volume: { type: 'OS::Cinder::Volume', properties: { size: { get_param: 'size' }, availability_zone: { get_param: 'zone' } } },
    attachment: {
      type: 'OS::Cinder::VolumeAttachment',
      properties: { instance_uuid: { get_resource: 'server' }, volume_id: { get_resource: 'volume' } },
    },
    fip: {
      type: 'OS::Neutron::FloatingIP',
      depends_on: 'router_interface',
      properties: { floating_network: 'admin_external_net', port_id: { get_resource: 'port' } },
    },
  },
  outputs: {
    server_ip: { description: 'the private address', value: { get_attr: ['server', 'first_address'] } },
    public_ip: { value: { get_attr: ['fip', 'floating_ip_address'] } },
    volume_size: { value: { get_attr: ['volume', 'size'] } },
  },
};

describe('RTS stacks', () => {
  it('publishes the orchestration endpoint with the project, as heatclient needs it', async () => {
    const p = await heatProject();
    const { body } = await send(p.token, 'GET', '/iam/v3/auth/catalog');
    const entry = body.catalog.find((e: { type: string }) => e.type === 'orchestration');
    expect(entry.endpoints[0].url).toMatch(new RegExp(`/rts/v1/${p.project}$`));
  }, 60_000);

  it('creates every resource through the services, gives outputs and events, and deletes all of it', async () => {
    const p = await heatProject();
    const before = await inventory(p);
    const id = await createStack(p, 'small', SMALL);
    const stack = await settled(p, 'small', id);
    expect(stack.stack_status, stack.stack_status_reason).toBe('CREATE_COMPLETE');

    const after = await inventory(p);
    expect(after.networks.length).toBe(before.networks.length + 1);
    expect(after.servers.length).toBe(1);
    expect(after.volumes.length).toBe(1);
    expect(after.floatingips.length).toBe(1);
    const outputs = Object.fromEntries(
      stack.outputs.map((o: { output_key: string; output_value: unknown }) => [o.output_key, o.output_value]),
    );
    expect(outputs.server_ip).toMatch(/^10\.20\.0\.\d+$/);
    expect(outputs.public_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(outputs.volume_size).toBe(10);
    const vol = await send(p.token, 'GET', `/evs/v3/${p.project}/volumes/${after.volumes[0]}`);
    expect(vol.body.volume.status).toBe('in-use');

    const { body: listed } = await heat(p, 'GET', `/stacks/small/${id}/resources`);
    expect(listed.resources).toHaveLength(10);
    expect(listed.resources.every((r: { resource_status: string }) => r.resource_status === 'CREATE_COMPLETE')).toBe(true);
    const server = listed.resources.find((r: { resource_name: string }) => r.resource_name === 'server');
    expect(server.physical_resource_id).toBe(after.servers[0]);
    expect(listed.resources.find((r: { resource_name: string }) => r.resource_name === 'port').required_by.sort()).toEqual([
      'fip',
      'server',
    ]);

    // The stack's own events bracket the resources' (heatclient's --wait stops on the last one).
    const { body: ev } = await heat(p, 'GET', `/stacks/small/${id}/events?sort_dir=asc`);
    const own = ev.events.filter(
      (e: { resource_name: string; physical_resource_id: string }) => e.resource_name === 'small' && e.physical_resource_id === id,
    );
    expect(own.map((e: { resource_status: string }) => e.resource_status)).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(ev.events[0].links.find((l: { rel: string }) => l.rel === 'stack').href).toMatch(new RegExp(`/stacks/small/${id}$`));
    const marker = ev.events[ev.events.length - 2].id;
    const { body: tail } = await heat(p, 'GET', `/stacks/small/${id}/events?sort_dir=asc&marker=${marker}`);
    expect(tail.events.map((e: { resource_status: string }) => e.resource_status)).toEqual(['CREATE_COMPLETE']);

    const del = await heat(p, 'DELETE', `/stacks/small/${id}`);
    expect(del.status).toBe(204);
    expect(await settled(p, 'small', id)).toBeNull();
    expect(await inventory(p)).toEqual(before);
    const { body: gone } = await heat(p, 'GET', '/stacks');
    expect(gone.stacks).toEqual([]);
  }, 60_000);

  it("redirects name lookups to /stacks/{name}/{id}, keeping the query, and 404s an unknown name in Heat's fault", async () => {
    const p = await heatProject();
    const id = await createStack(p, 'lookups', {
      heat_template_version: '2016-04-08',
      resources: { r: { type: 'OS::Heat::RandomString' } },
    });
    const manual = (path: string) => call(`/rts/v1/${p.project}${path}`, { token: p.token, redirect: 'manual' });
    const res = await manual('/stacks/lookups/events?sort_dir=asc&marker=x');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`http://cloud.test/rts/v1/${p.project}/stacks/lookups/${id}/events?sort_dir=asc&marker=x`);
    const byId = await manual(`/stacks/${id}`);
    expect(byId.headers.get('location')).toBe(`http://cloud.test/rts/v1/${p.project}/stacks/lookups/${id}`);
    const missing = await heat(p, 'GET', '/stacks/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      explanation: 'The resource could not be found.',
      code: 404,
      error: { message: 'The Stack (nope) could not be found.', traceback: null, type: 'EntityNotFound' },
      title: 'Not Found',
    });
    const again = await heat(p, 'POST', '/stacks', { stack_name: 'lookups', template: { heat_template_version: '2016-04-08' } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('The Stack (lookups) already exists.');
    const s = await settled(p, 'lookups', id);
    const random = s.parameters;
    expect(random['OS::stack_name']).toBe('lookups');
  });

  it('refuses a bad template before making anything, with the path to what is wrong', async () => {
    const p = await heatProject();
    const before = await inventory(p);
    const bad = {
      heat_template_version: '2016-04-08',
      resources: {
        net: { type: 'OS::Neutron::Net' },
        vol: { type: 'OS::Cinder::Volume', properties: { size: 'ten' } },
      },
    };
    const res = await heat(p, 'POST', '/stacks', { stack_name: 'bad', template: bad });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      message: "Property error: resources.vol.properties.size: Value 'ten' is not an integer",
      traceback: null,
      type: 'StackValidationFailed',
    });
    const v = await heat(p, 'POST', '/validate', { template: bad });
    expect(v.status).toBe(400);
    expect(v.body.error.message).toBe("Property error: resources.vol.properties.size: Value 'ten' is not an integer");
    const ok = await heat(p, 'POST', '/validate', { template: { ...SMALL } });
    expect(ok.status).toBe(200);
    expect(ok.body.Parameters.flavor).toMatchObject({ Type: 'String', Default: 's3.small.1', NoEcho: 'false' });
    expect((await heat(p, 'GET', '/stacks')).body.stacks).toEqual([]);
    expect(await inventory(p)).toEqual(before);
  });

  it('rolls a failed create back unless rollback is disabled, and keeps a Retain resource on delete', async () => {
    const p = await heatProject();
    const before = await inventory(p);
    const failing = {
      heat_template_version: '2016-04-08',
      resources: {
        net: { type: 'OS::Neutron::Net' },
        subnet: { type: 'OS::Neutron::Subnet', properties: { network: { get_resource: 'net' }, cidr: '10.30.0.0/24' } },
        server: {
          type: 'OS::Nova::Server',
          depends_on: 'subnet',
          properties: { image: 'OBS Ubuntu 22.04', flavor: 'no.such.flavor', networks: [{ network: { get_resource: 'net' } }] },
        },
      },
    };
    const id = await createStack(p, 'rollback', failing, { disable_rollback: false });
    const s = await settled(p, 'rollback', id);
    expect(s.stack_status).toBe('ROLLBACK_COMPLETE');
    const { body: ev } = await heat(p, 'GET', `/stacks/rollback/${id}/events?resource_name=server`);
    expect(ev.events.map((e: { resource_status: string }) => e.resource_status)).toEqual([
      'CREATE_IN_PROGRESS',
      'CREATE_FAILED',
      'DELETE_COMPLETE',
    ]);
    expect(ev.events[1].resource_status_reason).toMatch(/flavor/i);
    expect(await inventory(p)).toEqual(before);

    const kept = await createStack(p, 'kept', {
      heat_template_version: '2016-04-08',
      resources: {
        net: { type: 'OS::Neutron::Net', deletion_policy: 'Retain', properties: { name: 'kept-net' } },
        other: { type: 'OS::Neutron::Net' },
      },
    });
    expect((await settled(p, 'kept', kept)).stack_status).toBe('CREATE_COMPLETE');
    await heat(p, 'DELETE', `/stacks/kept/${kept}`);
    expect(await settled(p, 'kept', kept)).toBeNull();
    const nets = await send(p.token, 'GET', '/vpc/v2.0/networks');
    expect(nets.body.networks.map((n: { name: string }) => n.name)).toContain('kept-net');
    expect(nets.body.networks).toHaveLength(before.networks.length + 1);
  }, 60_000);

  it('lists the template versions by date with their aliases, and their functions', async () => {
    const p = await heatProject();
    const { body } = await heat(p, 'GET', '/template_versions');
    expect(body.template_versions).toContainEqual({
      version: 'heat_template_version.2018-08-31',
      type: 'hot',
      aliases: ['heat_template_version.rocky'],
    });
    const f = await heat(p, 'GET', '/template_versions/heat_template_version.2016-04-08/functions');
    expect(f.body.template_functions.map((x: { functions: string }) => x.functions)).toContain('str_split');
    expect((await heat(p, 'GET', '/template_versions/heat_template_version.1999-01-01/functions')).status).toBe(404);
  });
});
