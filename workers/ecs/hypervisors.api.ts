/**
 * Nova `os-hypervisors` (list, detail, show) and `os-services` for operators: the simulated host fleet as Nova
 * shows its compute nodes and their nova-compute services, from the same zone and host state as `/ecs/admin/hosts`.
 * Ids are integers, as Nova gives them before 2.53: a host's place among its region's, counted from 1.
 */
import { zonesOf } from '../../core/regions.ts';
import hostSeed from '../../seed/hosts.json';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope } from '../lib/tenant.ts';
import { hostView } from './hosts.api.ts';

type Host = Awaited<ReturnType<typeof hostView>>;

/** The hosts of the request's region (Nova's cells are a region's), in the seed's order. */
const regionHosts = (c: AppContext) => {
  const zones = zonesOf(projectScope(c).region);
  return hostSeed.filter((h) => zones.includes(h.zone));
};
const fleet = (c: AppContext) => Promise.all(regionHosts(c).map((h) => hostView(c, h.zone, h.id)));

function summary(h: Host, i: number) {
  return { id: i + 1, hypervisor_hostname: h.id, state: h.alive ? 'up' : 'down', status: h.enabled ? 'enabled' : 'disabled' };
}

function detail(h: Host, i: number) {
  return {
    ...summary(h, i),
    hypervisor_type: h.kind === 'baremetal' ? 'ironic' : 'FusionCompute',
    hypervisor_version: 1,
    host_ip: `192.0.2.${i + 1}`,
    vcpus: h.capacity.vcpus,
    memory_mb: h.capacity.ram_mb,
    local_gb: h.capacity.disk_gb,
    vcpus_used: h.used.vcpus,
    memory_mb_used: h.used.ram_mb,
    local_gb_used: h.used.disk_gb,
    free_ram_mb: h.capacity.ram_mb - h.used.ram_mb,
    free_disk_gb: h.capacity.disk_gb - h.used.disk_gb,
    disk_available_least: h.capacity.disk_gb - h.used.disk_gb,
    running_vms: h.instances,
    current_workload: 0,
    cpu_info: '{}',
    service: { id: i + 1, host: h.id, disabled_reason: null },
  };
}

export const hypervisorRoutes = router();

hypervisorRoutes.get('/os-hypervisors', act('ecs:hypervisors:list'), async (c) => c.json({ hypervisors: (await fleet(c)).map(summary) }));

hypervisorRoutes.get('/os-hypervisors/detail', act('ecs:hypervisors:list'), async (c) =>
  c.json({ hypervisors: (await fleet(c)).map(detail) }),
);

hypervisorRoutes.get('/os-hypervisors/:hypervisor_id', act('ecs:hypervisors:list'), async (c) => {
  const i = Number(c.req.param('hypervisor_id')) - 1;
  const seed = Number.isInteger(i) ? regionHosts(c)[i] : undefined;
  if (!seed) throw notFound(`Hypervisor with ID ${c.req.param('hypervisor_id')} could not be found.`);
  return c.json({ hypervisor: detail(await hostView(c, seed.zone, seed.id), i) });
});

hypervisorRoutes.get('/os-services', act('ecs:hypervisors:list'), async (c) => {
  const hosts = await fleet(c);
  const services = hosts.map((h, i) => ({
    id: i + 1,
    binary: 'nova-compute',
    host: h.id,
    zone: h.zone,
    status: h.enabled ? 'enabled' : 'disabled',
    state: h.alive ? 'up' : 'down',
    updated_at: h.agent?.last_heartbeat ?? null,
    disabled_reason: null,
  }));
  return c.json({ services });
});
