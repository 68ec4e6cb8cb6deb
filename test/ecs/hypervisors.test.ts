/**
 * Nova `os-hypervisors` and `os-services` for operators (issue 18): the region's simulated hosts as compute
 * nodes with their capacity and use (a server's claim shows), their nova-compute services, and a 403 for customers.
 */
import { describe, expect, it } from 'vitest';
import hostSeed from '../../seed/hosts.json';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { expectNovaError, nova } from '../request.ts';
import { activeServer, bindings, computeProject } from './fixtures.ts';

describe('os-hypervisors and os-services', () => {
  it('shows the region’s hosts to the operator, with what a server uses', async () => {
    const op = await operatorAccount();
    const project = op.projects[0]!.id;
    const token = await tokenFor(op, { scope: { project: { id: project } } });
    const region = hostSeed.filter((h) => h.zone.startsWith('eu-west-0'));
    const list = await nova(token, project, 'GET', '/os-hypervisors');
    expect(list.status).toBe(200);
    expect(list.body.hypervisors.map((h: { id: number; hypervisor_hostname: string }) => [h.id, h.hypervisor_hostname])).toEqual(
      region.map((h, i) => [i + 1, h.id]),
    );
    const p = await computeProject('hyp');
    const s = await activeServer(p);
    const host = (await bindings.TENANT.getByName(p.project).server(s.id))!.hostId!;
    const detail = (await nova(token, project, 'GET', '/os-hypervisors/detail')).body.hypervisors;
    const node = detail.find((h: { hypervisor_hostname: string }) => h.hypervisor_hostname === host);
    const seed = region.find((h) => h.id === host)!;
    expect(node).toMatchObject({
      vcpus: seed.vcpus * seed.cpuRatio,
      memory_mb: seed.ramMb * seed.ramRatio,
      state: 'up',
      status: 'enabled',
    });
    expect(node.vcpus_used).toBeGreaterThanOrEqual(1);
    expect(node.running_vms).toBeGreaterThanOrEqual(1);
    const one = await nova(token, project, 'GET', `/os-hypervisors/${node.id}`);
    expect(one.body.hypervisor.hypervisor_hostname).toBe(host);
    expectNovaError(await nova(token, project, 'GET', `/os-hypervisors/${region.length + 1}`), 404, 'itemNotFound');
    const services = (await nova(token, project, 'GET', '/os-services')).body.services;
    expect(services.map((x: { binary: string; host: string }) => [x.binary, x.host])).toEqual(region.map((h) => ['nova-compute', h.id]));
    expect(services[0]).toMatchObject({ id: 1, zone: region[0]!.zone, status: 'enabled', state: 'up' });
    expectNovaError(await nova(p.token, p.project, 'GET', '/os-hypervisors'), 403, 'forbidden');
    expectNovaError(await nova(p.token, p.project, 'GET', '/os-services'), 403, 'forbidden');
  });
});
