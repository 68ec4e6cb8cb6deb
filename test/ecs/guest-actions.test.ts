/**
 * Nova's pause / unpause, suspend / resume and add / remove security group (issue 18), done by the TenantDO at
 * once: the states Nova shows, its 409s for the wrong state or a lock, the recorded actions, the ports' groups,
 * and the `ecs.server` meter (a paused server runs on; a suspended one stops like a stopped one).
 */
import { describe, expect, it } from 'vitest';
import { expectNovaError, neutron, nova } from '../request.ts';
import { activeServer, bindings, type ComputeProject, computeProject, portsOf, waitStatus } from './fixtures.ts';

const act = (p: ComputeProject, id: string, body: unknown) => nova(p.token, p.project, 'POST', `/servers/${id}/action`, body);
const show = async (p: ComputeProject, id: string) => (await nova(p.token, p.project, 'GET', `/servers/${id}`)).body.server;
const states = (s: Record<string, unknown>) => [
  s.status,
  s['OS-EXT-STS:vm_state'],
  s['OS-EXT-STS:power_state'],
  s['OS-EXT-STS:task_state'],
];
const meter = async (p: ComputeProject, id: string) =>
  (await bindings.TENANT.getByName(p.project).usageOutbox())
    .map((r) => r.event)
    .filter((e) => e.meter === 'ecs.server' && e.resourceId === id)
    .map((e) => [e.id, e.action]);

describe('pause and suspend', () => {
  it('pauses and unpauses, suspends and resumes, at once and in Nova states', async () => {
    const p = await computeProject('pause');
    const s = await activeServer(p);
    expect((await act(p, s.id, { pause: null })).status).toBe(202);
    expect(states(await show(p, s.id))).toEqual(['PAUSED', 'paused', 3, null]);
    expectNovaError(await act(p, s.id, { pause: null }), 409, 'conflictingRequest', /Cannot 'pause' instance .* vm_state paused/);
    expectNovaError(await act(p, s.id, { suspend: null }), 409, 'conflictingRequest');
    expect((await act(p, s.id, { unpause: null })).status).toBe(202);
    expect(states(await show(p, s.id))).toEqual(['ACTIVE', 'active', 1, null]);
    expect((await act(p, s.id, { suspend: null })).status).toBe(202);
    expect(states(await show(p, s.id))).toEqual(['SUSPENDED', 'suspended', 7, null]);
    expectNovaError(await act(p, s.id, { unpause: null }), 409, 'conflictingRequest');
    expect((await act(p, s.id, { resume: null })).status).toBe(202);
    expect(states(await show(p, s.id))).toEqual(['ACTIVE', 'active', 1, null]);
    const actions = (await nova(p.token, p.project, 'GET', `/servers/${s.id}/os-instance-actions`)).body.instanceActions;
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['resume', 'suspend', 'unpause', 'pause', 'create']);
    // A paused server holds its host's memory: billed on. A suspended one is billed as stopped.
    expect(await meter(p, s.id)).toEqual([
      [`${s.id}:run:1`, 'start'],
      [`${s.id}:halt:1`, 'stop'],
      [`${s.id}:run:2`, 'start'],
    ]);
  });

  it('refuses a stopped or locked server with 409, and a body that is not null with 400', async () => {
    const p = await computeProject('pause');
    const s = await activeServer(p);
    expectNovaError(await act(p, s.id, { pause: {} }), 400, 'badRequest');
    expect((await act(p, s.id, { lock: null })).status).toBe(202);
    expectNovaError(await act(p, s.id, { pause: null }), 409, 'conflictingRequest', /is locked/);
    expect((await act(p, s.id, { unlock: null })).status).toBe(202);
    expect((await act(p, s.id, { 'os-stop': null })).status).toBe(202);
    await waitStatus(p, s.id, 'SHUTOFF');
    expectNovaError(await act(p, s.id, { suspend: null }), 409, 'conflictingRequest', /vm_state stopped/);
    expect((await show(p, s.id)).status).toBe('SHUTOFF');
  });
});

describe('security group actions', () => {
  it('adds a group to the server and its port, removes it, and refuses one it does not have', async () => {
    const p = await computeProject('sgact');
    const s = await activeServer(p);
    const made = await neutron(p.token, 'POST', '/security-groups', { security_group: { name: 'web' } });
    const web = made.body.security_group.id as string;
    expect((await act(p, s.id, { addSecurityGroup: { name: 'web' } })).status).toBe(202);
    expect((await act(p, s.id, { addSecurityGroup: { name: 'web' } })).status).toBe(202);
    expect((await show(p, s.id)).security_groups).toEqual([{ name: 'default' }, { name: 'web' }]);
    const [port] = await portsOf(p, s.id);
    expect(port.security_groups).toHaveLength(2);
    expect(port.security_groups).toContain(web);
    expect((await act(p, s.id, { removeSecurityGroup: { name: 'default' } })).status).toBe(202);
    expect((await show(p, s.id)).security_groups).toEqual([{ name: 'web' }]);
    expect((await portsOf(p, s.id))[0].security_groups).toEqual([web]);
    const again = await act(p, s.id, { removeSecurityGroup: { name: 'default' } });
    expectNovaError(again, 400, 'badRequest', /not associated with the instance/);
    expectNovaError(await act(p, s.id, { addSecurityGroup: { name: 'nope' } }), 404, 'itemNotFound', /Security group nope not found/);
    expectNovaError(await act(p, s.id, { addSecurityGroup: {} }), 400, 'badRequest');
  });
});

describe("Nova's security group proxy", () => {
  it('lists and shows the Neutron groups in Nova’s shape, as the CLI reads them before add security group', async () => {
    const p = await computeProject('novasg');
    const made = await neutron(p.token, 'POST', '/security-groups', { security_group: { name: 'ssh', description: 'in' } });
    const id = made.body.security_group.id as string;
    const rule = {
      security_group_id: id,
      direction: 'ingress',
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: '0.0.0.0/0',
    };
    expect((await neutron(p.token, 'POST', '/security-group-rules', { security_group_rule: rule })).status).toBe(201);
    const one = await nova(p.token, p.project, 'GET', `/os-security-groups/${id}`);
    expect(one.body.security_group).toEqual({
      id,
      name: 'ssh',
      description: 'in',
      tenant_id: p.project,
      rules: [
        {
          id: expect.any(String),
          parent_group_id: id,
          ip_protocol: 'tcp',
          from_port: 22,
          to_port: 22,
          ip_range: { cidr: '0.0.0.0/0' },
          group: {},
        },
      ],
    });
    const names = (await nova(p.token, p.project, 'GET', '/os-security-groups')).body.security_groups.map((g: { name: string }) => g.name);
    expect(names).toContain('ssh');
    expectNovaError(await nova(p.token, p.project, 'GET', '/os-security-groups/ssh'), 404, 'itemNotFound');
  });
});
