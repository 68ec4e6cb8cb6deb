/**
 * The Flexible Engine native ECS v1 API under /ecs/v1/{project_id}: cloud servers created, acted on and deleted in
 * batches through jobs (the queue consumer builds them in this runtime), as views over the same TenantDO the Nova
 * API shows, with Elastic IPs on create, in the native error envelope, and isolated per tenant.
 */
import { describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../fixtures.ts';
import { expectNativeError, send } from '../request.ts';
import { created, ecs, type NativeTenant, nativeServer, nativeSnapshot, nativeTenant, ok, serverBody, settled, vpc } from './fixtures.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_S = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const POOL = /^80\.158\.(1[6-9]|2\d|3[01])\.\d{1,3}$/;

describe('create', () => {
  it('creates a server through a job that succeeds once it is ACTIVE, shown in the native shape and by Nova', async () => {
    const t = await nativeTenant();
    await ok(send(t.token, 'POST', `/ecs/v2.1/${t.project}/os-keypairs`, { keypair: { name: 'kp-1' } }));
    const answer = await ok(
      ecs(
        t,
        'POST',
        '/cloudservers',
        serverBody(t, {
          name: 'web',
          key_name: 'kp-1',
          metadata: { owner: 'ops' },
          availability_zone: 'eu-west-0b',
          data_volumes: [{ volumetype: 'SSD', size: 100 }],
          server_tags: [{ key: 'env', value: 'prod' }],
          extendparam: { chargingMode: 'postPaid', support_auto_recovery: 'true' },
          adminPass: 'Secret-pass-1',
          user_data: btoa('#!/bin/sh\necho hello\n'),
        }),
      ),
    );
    expect(Object.keys(answer).sort()).toEqual(['job_id', 'serverIds']);
    expect(answer.job_id).toMatch(UUID);
    expect(answer.serverIds).toEqual([expect.stringMatching(UUID)]);
    const id = answer.serverIds[0];

    const job = await settled(t, answer.job_id);
    expect(job).toEqual({
      status: 'SUCCESS',
      entities: {
        sub_jobs_total: 1,
        sub_jobs: [
          {
            status: 'SUCCESS',
            entities: { server_id: id },
            job_id: expect.stringMatching(UUID),
            job_type: 'createSingleServer',
            begin_time: expect.stringMatching(ISO_MS),
            end_time: expect.stringMatching(ISO_MS),
            error_code: null,
            fail_reason: null,
          },
        ],
      },
      job_id: answer.job_id,
      job_type: 'createServer',
      begin_time: expect.stringMatching(ISO_MS),
      end_time: expect.stringMatching(ISO_MS),
      error_code: null,
      fail_reason: null,
    });
    expect(job.end_time >= job.begin_time).toBe(true);

    const s = await nativeServer(t, id);
    const { ports } = await ok(send(t.token, 'GET', `/vpc/v2.0/ports?device_id=${id}`));
    expect(ports).toHaveLength(1);
    const port = ports[0];
    const { security_groups } = await ok(vpc(t, 'GET', '/security-groups'));
    const defaultGroup = security_groups.find((g: { name: string }) => g.name === 'default');
    expect(s).toMatchObject({
      id,
      name: 'web',
      status: 'ACTIVE',
      addresses: {
        [t.vpcId]: [
          {
            version: '4',
            addr: port.fixed_ips[0].ip_address,
            'OS-EXT-IPS:type': 'fixed',
            'OS-EXT-IPS-MAC:mac_addr': port.mac_address,
            'OS-EXT-IPS:port_id': port.id,
          },
        ],
      },
      flavor: { id: 's3.small.1', name: 's3.small.1', vcpus: '1', ram: '1024', disk: '40' },
      image: { id: t.imageId },
      metadata: { owner: 'ops', charging_mode: '0', vpc_id: t.vpcId },
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 1,
      'OS-EXT-AZ:availability_zone': 'eu-west-0b',
      key_name: 'kp-1',
      security_groups: [{ name: 'default', id: defaultGroup.id }],
      created: expect.stringMatching(ISO_S),
      updated: expect.stringMatching(ISO_S),
      tenant_id: t.project,
      user_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      hostId: expect.stringMatching(/^[0-9a-f]{32}$/),
      tags: ['env=prod'],
      'OS-SRV-USG:launched_at': expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/),
      fault: null,
    });
    expect(port.fixed_ips[0].ip_address).toMatch(/^10\.0\.1\.\d+$/);
    expect(Object.keys(s)).not.toContain('links');

    const list = await ok(ecs(t, 'GET', '/cloudservers/detail'));
    expect(list).toEqual({ count: 1, servers: [s] });
    const nova = await ok(send(t.token, 'GET', `/ecs/v2.1/${t.project}/servers/${id}`));
    expect(nova.server).toMatchObject({ id, name: 'web', status: 'ACTIVE', key_name: 'kp-1', metadata: { owner: 'ops' } });
  });

  it('makes count servers named -0001, -0002, ... with a sub-job each; the detail list pages by page number and filters', async () => {
    const t = await nativeTenant();
    const { ids, job } = await created(t, { name: 'node', count: 3 });
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(job.entities.sub_jobs_total).toBe(3);
    expect(job.entities.sub_jobs.map((s: { entities: { server_id: string } }) => s.entities.server_id)).toEqual(ids);
    expect(new Set(job.entities.sub_jobs.map((s: { job_id: string }) => s.job_id)).size).toBe(3);
    expect(job.entities.sub_jobs.every((s: { status: string }) => s.status === 'SUCCESS')).toBe(true);

    const all = await ok(ecs(t, 'GET', '/cloudservers/detail'));
    expect(all.count).toBe(3);
    expect(all.servers.map((s: { name: string }) => s.name).sort()).toEqual(['node-0001', 'node-0002', 'node-0003']);
    const addresses = all.servers.map((s: any) => s.addresses[t.vpcId][0].addr);
    expect(new Set(addresses).size).toBe(3);

    const page1 = await ok(ecs(t, 'GET', '/cloudservers/detail?limit=2&offset=1'));
    const page2 = await ok(ecs(t, 'GET', '/cloudservers/detail?limit=2&offset=2'));
    expect(page1.count).toBe(3);
    expect(page1.servers).toHaveLength(2);
    expect(page2.servers).toHaveLength(1);
    expect([...page1.servers, ...page2.servers].map((s: { id: string }) => s.id)).toEqual(all.servers.map((s: { id: string }) => s.id));
    expect((await ok(ecs(t, 'GET', '/cloudservers/detail?limit=2&offset=0'))).servers).toEqual(page1.servers);
    expect((await ok(ecs(t, 'GET', '/cloudservers/detail?limit=2&offset=3'))).servers).toEqual([]);

    const names = async (q: string) => (await ok(ecs(t, 'GET', `/cloudservers/detail?${q}`))).servers.map((s: { name: string }) => s.name);
    expect(await names('name=0002')).toEqual(['node-0002']);
    expect((await names('status=ACTIVE')).length).toBe(3);
    expect(await names('status=SHUTOFF')).toEqual([]);
    expect((await names('flavor=s3.small.1')).length).toBe(3);
    expect(await names('flavor=s3.medium.2')).toEqual([]);
    for (const q of ['limit=0', 'limit=x', 'limit=1001', 'offset=-1'])
      expectNativeError(await ecs(t, 'GET', `/cloudservers/detail?${q}`), 400, 'Ecs.0005');
  });

  it('refuses bad requests with 400 in the native envelope, naming the problem and creating nothing', async () => {
    const t = await nativeTenant();
    const other = (await ok(vpc(t, 'POST', '/vpcs', { vpc: { name: 'vpc-2', cidr: '192.168.0.0/16' } }))).vpc.id;
    const otherSubnet = (
      await ok(vpc(t, 'POST', '/subnets', { subnet: { name: 's2', cidr: '192.168.1.0/24', gateway_ip: '192.168.1.1', vpc_id: other } }))
    ).subnet.id;
    const existing = (
      await ok(vpc(t, 'POST', '/publicips', { publicip: { type: '5_bgp' }, bandwidth: { name: 'bw', size: 5, share_type: 'PER' } }))
    ).publicip;
    const before = await nativeSnapshot(t);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ flavorRef: 'x9.huge.1' }, 'Ecs.0029', /Flavor \[x9\.huge\.1\] does not exist/],
      [{ imageRef: crypto.randomUUID() }, 'Ecs.0031', /Image \[.*\] does not exist/],
      [{ vpcid: crypto.randomUUID() }, 'Ecs.0014', /VPC/],
      [{ nics: [{ subnet_id: crypto.randomUUID() }] }, 'Ecs.0038', /Subnet/],
      [{ nics: [{ subnet_id: otherSubnet }] }, 'Ecs.0064', /is not in VPC/],
      [{ nics: [{ subnet_id: t.subnetId, ip_address: '192.168.1.10' }] }, 'Ecs.0039', /not in subnet/],
      [{ nics: [{ subnet_id: t.subnetId, ip_address: '10.0.1.1' }] }, 'Ecs.0039', /not in subnet/],
      [{ nics: [{ subnet_id: t.subnetId, ip_address: '10.0.1' }] }, 'Ecs.0005', /nics\.0\.ip_address/],
      [{ nics: [] }, 'Ecs.0005', /nics/],
      [{ nics: [{ subnet_id: t.subnetId, port: 'x' }] }, 'Ecs.0005', /nics\.0.*port/],
      [{ root_volume: { volumetype: 'GOLD', size: 40 } }, 'Ecs.0005', /root_volume\.volumetype/],
      [{ root_volume: { volumetype: 'SAS', size: 39 } }, 'Ecs.0005', /root_volume\.size/],
      [{ root_volume: { volumetype: 'SAS', size: 1025 } }, 'Ecs.0005', /root_volume\.size/],
      [{ root_volume: undefined }, 'Ecs.0005', /root_volume/],
      [{ data_volumes: [{ volumetype: 'SSD', size: 5 }] }, 'Ecs.0005', /data_volumes\.0\.size/],
      [{ data_volumes: [{ volumetype: 'ULTRA', size: 50 }] }, 'Ecs.0005', /data_volumes\.0\.volumetype/],
      [{ flavour: 's3.small.1' }, 'Ecs.0005', /flavour/],
      [
        { publicip: { eip: { iptype: '5_bgp', bandwidth: { size: 5, sharetype: 'PER', chargemode: 'traffic', extra: 1 } } } },
        'Ecs.0005',
        /extra/,
      ],
      [{ publicip: { eip: { iptype: '5_bgp', bandwidth: { sharetype: 'PER' } } } }, 'Ecs.0005', /publicip\.eip\.bandwidth\.size/],
      [{ publicip: { eip: { iptype: '5_sbgp', bandwidth: { size: 5, sharetype: 'PER' } } } }, 'Ecs.0005', /iptype/],
      [{ publicip: { id: existing.id, eip: { iptype: '5_bgp', bandwidth: { size: 5, sharetype: 'PER' } } } }, 'Ecs.0005', /either/],
      [{ publicip: { id: existing.id }, count: 2 }, 'Ecs.0005', /batches/],
      [{ publicip: { id: crypto.randomUUID() } }, 'Ecs.0005', /Elastic IP/],
      [{ nics: [{ subnet_id: t.subnetId, ip_address: '10.0.1.20' }], count: 2 }, 'Ecs.0005', /private IP/],
      [{ security_groups: [{ id: crypto.randomUUID() }] }, 'Ecs.0005', /Security group/],
      [{ key_name: 'nope' }, 'Ecs.0005', /Key pair/],
      [{ 'os:scheduler_hints': { group: crypto.randomUUID() } }, 'Ecs.0005', /Server group/],
      // A shared host is nobody's dedicated host: it is refused as one that does not exist is.
      [{ 'os:scheduler_hints': { dedicated_host_id: 'eu-west-0a-cmp-01' } }, 'Ecs.0005', /not allocated to this project/],
      [{ 'os:scheduler_hints': { dedicated_host_id: 'nowhere' } }, 'Ecs.0005', /not allocated to this project/],
      [{ availability_zone: 'eu-west-0z' }, 'Ecs.0005', /Availability zone/],
      [{ adminPass: 'password' }, 'Ecs.0005', /adminPass/],
      [{ user_data: 'not base64!' }, 'Ecs.0005', /user_data/],
      [{ extendparam: { chargingMode: 'prePaid' } }, 'Ecs.0005', /chargingMode/],
      [{ extendparam: { support_auto_recovery: 'yes' } }, 'Ecs.0005', /support_auto_recovery/],
      [{ name: 'bad name!' }, 'Ecs.0005', /name/],
      [{ count: 21 }, 'Ecs.0001', /instances quota/],
    ];
    for (const [fields, code, message] of cases) {
      const res = await ecs(t, 'POST', '/cloudservers', serverBody(t, fields));
      expectNativeError(res, 400, code, message);
    }
    expectNativeError(await ecs(t, 'POST', '/cloudservers', { ...serverBody(t), dry_run: true }), 400, 'Ecs.0005', /dry_run/);
    expectNativeError(await ecs(t, 'POST', '/cloudservers', { server: 'web' }), 400, 'Ecs.0005');
    expect(await nativeSnapshot(t)).toEqual(before);
  });
});

describe('Elastic IPs on create and delete', () => {
  it('allocates an EIP bound to the primary NIC; binds an existing one; delete_publicip releases, without it the EIP is only unbound', async () => {
    const t = await nativeTenant();
    const eipBody = { eip: { iptype: '5_bgp', bandwidth: { size: 8, sharetype: 'PER', chargemode: 'traffic' } } };
    const group = (await ok(vpc(t, 'POST', '/security-groups', { security_group: { name: 'web' } }))).security_group;
    const a = await created(t, { name: 'with-new-eip', publicip: eipBody, security_groups: [{ id: group.id }] });
    expect((await nativeServer(t, a.ids[0]!)).security_groups).toEqual([{ name: 'web', id: group.id }]);
    const nic = (await ok(send(t.token, 'GET', `/vpc/v2.0/ports?device_id=${a.ids[0]}`))).ports;
    expect(nic).toEqual([
      expect.objectContaining({ security_groups: [group.id], status: 'ACTIVE', device_owner: expect.stringMatching(/^compute:/) }),
    ]);
    const existing = (
      await ok(vpc(t, 'POST', '/publicips', { publicip: { type: '5_bgp' }, bandwidth: { name: 'bw', size: 3, share_type: 'PER' } }))
    ).publicip;
    const b = await created(t, { name: 'with-old-eip', publicip: { id: existing.id } });

    const { publicips } = await ok(vpc(t, 'GET', '/publicips'));
    expect(publicips).toHaveLength(2);
    for (const [id, eipId] of [
      [a.ids[0]!, undefined],
      [b.ids[0]!, existing.id],
    ] as const) {
      const s = await nativeServer(t, id);
      const [fixed, floating] = s.addresses[t.vpcId];
      expect(fixed['OS-EXT-IPS:type']).toBe('fixed');
      expect(floating).toEqual({ ...fixed, addr: expect.stringMatching(POOL), 'OS-EXT-IPS:type': 'floating' });
      const eip = publicips.find((e: { public_ip_address: string }) => e.public_ip_address === floating.addr);
      expect(eip).toMatchObject({ status: 'ACTIVE', port_id: fixed['OS-EXT-IPS:port_id'], private_ip_address: fixed.addr });
      if (eipId) expect(eip.id).toBe(eipId);
      else expect(eip).toMatchObject({ bandwidth_size: 8, bandwidth_share_type: 'PER' });
      const nova = await ok(send(t.token, 'GET', `/ecs/v2.1/${t.project}/servers/${id}`));
      expect(Object.values(nova.server.addresses).flat()).toContainEqual(
        expect.objectContaining({ addr: floating.addr, 'OS-EXT-IPS:type': 'floating' }),
      );
    }

    const gone = await ok(
      ecs(t, 'POST', '/cloudservers/delete', { servers: [{ id: a.ids[0] }], delete_publicip: true, delete_volume: true }),
    );
    const kept = await ok(ecs(t, 'POST', '/cloudservers/delete', { servers: [{ id: b.ids[0] }] }));
    await settled(t, gone.job_id);
    await settled(t, kept.job_id);
    const after = (await ok(vpc(t, 'GET', '/publicips'))).publicips;
    expect(after).toEqual([expect.objectContaining({ id: existing.id, status: 'DOWN', port_id: null, private_ip_address: null })]);
    expect((await ok(vpc(t, 'GET', '/bandwidths'))).bandwidths).toHaveLength(1);
    const { ports } = await ok(send(t.token, 'GET', '/vpc/v2.0/ports'));
    expect(ports.filter((p: { device_owner: string }) => p.device_owner !== 'network:router_interface')).toEqual([]);
  });
  it('a build that fails makes the job FAIL with its reason; deleting the server then frees its NIC and EIP', async () => {
    const t = await nativeTenant();
    const eip = { eip: { iptype: '5_bgp', bandwidth: { size: 2, sharetype: 'PER' } } };
    // No Dedicated Cloud host serves this project, so the placement fails.
    const answer = await ok(
      ecs(t, 'POST', '/cloudservers', serverBody(t, { publicip: eip, 'os:scheduler_hints': { tenancy: 'dedicated' } })),
    );
    const job = await settled(t, answer.job_id, 'FAIL');
    expect(job).toMatchObject({ status: 'FAIL', error_code: 'Ecs.0000', fail_reason: expect.stringMatching(/No valid host/) });
    expect(job.entities.sub_jobs[0]).toMatchObject({ status: 'FAIL', error_code: 'Ecs.0000', fail_reason: job.fail_reason });
    expect(job.end_time).toMatch(ISO_MS);
    const s = await nativeServer(t, answer.serverIds[0]);
    expect(s).toMatchObject({ status: 'ERROR', 'OS-EXT-STS:vm_state': 'error', fault: { code: 500, message: job.fail_reason } });
    expect((await ok(vpc(t, 'GET', '/publicips'))).publicips).toHaveLength(1);

    const del = await ok(ecs(t, 'POST', '/cloudservers/delete', { servers: [{ id: s.id }], delete_publicip: true }));
    await settled(t, del.job_id);
    expect((await ok(vpc(t, 'GET', '/publicips'))).publicips).toEqual([]);
    const { ports } = await ok(send(t.token, 'GET', '/vpc/v2.0/ports'));
    expect(ports.filter((p: { device_owner: string }) => p.device_owner !== 'network:router_interface')).toEqual([]);
  });
});

describe('batch actions and delete', () => {
  it('stops, starts and reboots servers through jobs; a state that does not allow it is refused', async () => {
    const t = await nativeTenant();
    const { ids } = await created(t, { count: 2 });
    const servers = ids.map((id) => ({ id }));

    const stop = await ok(ecs(t, 'POST', '/cloudservers/action', { 'os-stop': { servers, type: 'SOFT' } }));
    expect(Object.keys(stop)).toEqual(['job_id']);
    const stopped = await settled(t, stop.job_id);
    expect(stopped.job_type).toBe('batchStopServer');
    expect(stopped.entities.sub_jobs.map((s: { job_type: string }) => s.job_type)).toEqual(['stopSingleServer', 'stopSingleServer']);
    for (const id of ids)
      expect(await nativeServer(t, id)).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:power_state': 4 });

    expectNativeError(await ecs(t, 'POST', '/cloudservers/action', { 'os-stop': { servers } }), 409, 'Ecs.0100');
    const start = await ok(ecs(t, 'POST', '/cloudservers/action', { 'os-start': { servers } }));
    expect((await settled(t, start.job_id)).job_type).toBe('batchStartServer');
    for (const id of ids) expect((await nativeServer(t, id)).status).toBe('ACTIVE');

    const reboot = await ok(ecs(t, 'POST', '/cloudservers/action', { reboot: { type: 'HARD', servers: [{ id: ids[0] }] } }));
    const rebooted = await settled(t, reboot.job_id);
    expect(rebooted).toMatchObject({ job_type: 'batchRebootServer', entities: { sub_jobs_total: 1 } });
    expect(rebooted.entities.sub_jobs[0]).toMatchObject({ job_type: 'rebootSingleServer', entities: { server_id: ids[0] } });
    expect((await nativeServer(t, ids[0]!)).status).toBe('ACTIVE');

    const bad: [unknown, RegExp][] = [
      [{}, /Exactly one/],
      [{ 'os-start': { servers }, 'os-stop': { servers } }, /Exactly one/],
      [{ 'os-resume': { servers } }, /os-resume/],
      [{ reboot: { servers } }, /reboot\.type/],
      [{ reboot: { servers, type: 'SOFTLY' } }, /reboot\.type/],
      [{ 'os-stop': { servers: [] } }, /os-stop\.servers/],
      [{ 'os-stop': { servers: [{ id: ids[0] }, { id: ids[0] }] } }, /once/],
      [{ 'os-stop': { servers, force: true } }, /force/],
    ];
    for (const [body, message] of bad) expectNativeError(await ecs(t, 'POST', '/cloudservers/action', body), 400, 'Ecs.0005', message);
    expectNativeError(
      await ecs(t, 'POST', '/cloudservers/action', { 'os-stop': { servers: [...servers, { id: crypto.randomUUID() }] } }),
      404,
      'Ecs.0114',
    );
    for (const id of ids) expect((await nativeServer(t, id)).status).toBe('ACTIVE');
  });

  it('deletes servers through a job that succeeds once they are gone; then they are 404 everywhere', async () => {
    const t = await nativeTenant();
    const { ids } = await created(t, { count: 2 });
    expectNativeError(await ecs(t, 'POST', '/cloudservers/delete', { servers: [{ id: ids[0] }], delete_publicip: 'yes' }), 400, 'Ecs.0005');
    expectNativeError(
      await ecs(t, 'POST', '/cloudservers/delete', { servers: [{ id: ids[0] }, { id: crypto.randomUUID() }] }),
      404,
      'Ecs.0114',
    );
    expect((await ok(ecs(t, 'GET', '/cloudservers/detail'))).count).toBe(2);

    const del = await ok(ecs(t, 'POST', '/cloudservers/delete', { servers: ids.map((id) => ({ id })), delete_publicip: false }));
    const job = await settled(t, del.job_id);
    expect(job).toMatchObject({ job_type: 'deleteServer', entities: { sub_jobs_total: 2 } });
    expect(job.entities.sub_jobs.map((s: { job_type: string; status: string }) => [s.job_type, s.status])).toEqual([
      ['deleteSingleServer', 'SUCCESS'],
      ['deleteSingleServer', 'SUCCESS'],
    ]);
    for (const id of ids) {
      expectNativeError(await ecs(t, 'GET', `/cloudservers/${id}`), 404, 'Ecs.0114', new RegExp(id));
      expect((await send(t.token, 'GET', `/ecs/v2.1/${t.project}/servers/${id}`)).status).toBe(404);
    }
    expect(await ok(ecs(t, 'GET', '/cloudservers/detail'))).toEqual({ count: 0, servers: [] });
  });
});

describe('auto-recovery, resize and jobs', () => {
  it('reads and switches auto-recovery, set at create by extendparam', async () => {
    const t = await nativeTenant();
    const { ids } = await created(t, { count: 2, extendparam: { support_auto_recovery: 'false' } });
    const [id] = ids;
    expect(await ok(ecs(t, 'GET', `/cloudservers/${id}/autorecovery`))).toEqual({ support_auto_recovery: 'false' });
    const put = await ecs(t, 'PUT', `/cloudservers/${id}/autorecovery`, { support_auto_recovery: 'true' });
    expect(put.status).toBe(204);
    expect(put.body).toBeNull();
    expect(await ok(ecs(t, 'GET', `/cloudservers/${id}/autorecovery`))).toEqual({ support_auto_recovery: 'true' });
    expect(await ok(ecs(t, 'GET', `/cloudservers/${ids[1]}/autorecovery`))).toEqual({ support_auto_recovery: 'false' });
    for (const body of [{ support_auto_recovery: true }, { support_auto_recovery: 'yes' }, {}, { support_auto_recovery: 'true', x: 1 }])
      expectNativeError(await ecs(t, 'PUT', `/cloudservers/${id}/autorecovery`, body), 400, 'Ecs.0005');
    expect(await ok(ecs(t, 'GET', `/cloudservers/${id}/autorecovery`))).toEqual({ support_auto_recovery: 'true' });
    const defaulted = await created(t);
    expect(await ok(ecs(t, 'GET', `/cloudservers/${defaulted.ids[0]}/autorecovery`))).toEqual({ support_auto_recovery: 'true' });
  });

  it('refuses resize as not supported yet, and answers 404 for unknown servers and jobs', async () => {
    const t = await nativeTenant();
    const { ids } = await created(t);
    const before = await nativeServer(t, ids[0]!);
    expectNativeError(
      await ecs(t, 'POST', `/cloudservers/${ids[0]}/resize`, { resize: { flavorRef: 's3.medium.2' } }),
      400,
      'Ecs.0005',
      /not supported/,
    );
    expect(await nativeServer(t, ids[0]!)).toEqual(before);
    const unknown = crypto.randomUUID();
    const routes: [string, string][] = [
      ['GET', `/cloudservers/${unknown}`],
      ['GET', `/cloudservers/${unknown}/autorecovery`],
      ['POST', `/cloudservers/${unknown}/resize`],
    ];
    for (const [method, path] of routes) expectNativeError(await ecs(t, method, path, method === 'POST' ? {} : undefined), 404, 'Ecs.0114');
    expectNativeError(await ecs(t, 'PUT', `/cloudservers/${unknown}/autorecovery`, { support_auto_recovery: 'true' }), 404, 'Ecs.0114');
    expectNativeError(await ecs(t, 'GET', `/jobs/${unknown}`), 404);
  });
});

describe('isolation and policy', () => {
  async function everything(t: NativeTenant) {
    const { ids, job } = await created(t, { name: 'mine' });
    const id = ids[0]!;
    const idRoutes: [string, string, unknown?][] = [
      ['GET', `/cloudservers/${id}`],
      ['GET', `/cloudservers/${id}/autorecovery`],
      ['PUT', `/cloudservers/${id}/autorecovery`, { support_auto_recovery: 'false' }],
      ['POST', `/cloudservers/${id}/resize`, { resize: { flavorRef: 's3.medium.2' } }],
      ['POST', '/cloudservers/action', { 'os-stop': { servers: [{ id }] } }],
      ['POST', '/cloudservers/delete', { servers: [{ id }], delete_publicip: true }],
      ['GET', `/jobs/${job.job_id}`],
    ];
    return { id, jobId: job.job_id as string, idRoutes };
  }

  it("never shows or touches another account's servers or jobs: 404 on every id route, absent from the list", async () => {
    const owner = await nativeTenant();
    const stranger = await nativeTenant();
    const { id, jobId, idRoutes } = await everything(owner);
    const before = await nativeSnapshot(owner);
    for (const [method, path, body] of idRoutes) expectNativeError(await ecs(stranger, method, path, body), 404);
    const seen = JSON.stringify(await nativeSnapshot(stranger));
    expect(seen).not.toContain(id);
    expect(seen).not.toContain(jobId);
    expect(await nativeSnapshot(owner)).toEqual(before);
    expect(await ok(ecs(owner, 'GET', `/cloudservers/${id}/autorecovery`))).toEqual({ support_auto_recovery: 'true' });
  });

  it('answers 403 when the path names a project that is not the token’s, on every route', async () => {
    const owner = await nativeTenant();
    const stranger = await nativeTenant();
    const { idRoutes } = await everything(owner);
    const before = await nativeSnapshot(owner);
    const routes: [string, string, unknown?][] = [
      ['GET', '/cloudservers/detail'],
      ['POST', '/cloudservers', serverBody(owner)],
      ...idRoutes,
    ];
    for (const [method, path, body] of routes)
      expectNativeError(await send(stranger.token, method, `/ecs/v1/${owner.project}${path}`, body), 403);
    expect(await nativeSnapshot(owner)).toEqual(before);
    expect((await ok(ecs(stranger, 'GET', '/cloudservers/detail'))).count).toBe(0);
  });

  it('authorises each route by its action: a read-only user reads but cannot create, act or delete', async () => {
    const owner = await nativeTenant();
    const { id, jobId } = await everything(owner);
    const user = await createUser(owner.account, owner.token, { role: 'readonly' });
    const reader = { ...owner, token: await tokenFor(owner.account, { user: user.name, password: user.password }) };
    expect((await ok(ecs(reader, 'GET', '/cloudservers/detail'))).count).toBe(1);
    expect((await ok(ecs(reader, 'GET', `/cloudservers/${id}`))).server.id).toBe(id);
    expect((await ok(ecs(reader, 'GET', `/jobs/${jobId}`))).job_id).toBe(jobId);
    const writes: [string, string, unknown, string][] = [
      ['POST', '/cloudservers', serverBody(owner), 'ecs:servers:create'],
      ['POST', '/cloudservers/action', { 'os-stop': { servers: [{ id }] } }, 'ecs:servers:stop'],
      ['POST', '/cloudservers/delete', { servers: [{ id }] }, 'ecs:servers:delete'],
      ['PUT', `/cloudservers/${id}/autorecovery`, { support_auto_recovery: 'false' }, 'ecs:servers:update'],
      ['POST', `/cloudservers/${id}/resize`, {}, 'ecs:servers:resize'],
    ];
    for (const [method, path, body, action] of writes)
      expectNativeError(await ecs(reader, method, path, body), 403, undefined, new RegExp(action));
    expect((await nativeServer(owner, id)).status).toBe('ACTIVE');
    expectNativeError(await send('', 'GET', `/ecs/v1/${owner.project}/cloudservers/detail`), 401);
  });
});
