/**
 * What Cinder says about the cloud around the volumes: its volume types, availability zones, the project's
 * limits and quota sets, the extensions offered, and (operators) the storage pools of each zone.
 */
import { z } from 'zod';
import { VOLUME_TYPES } from '../../core/evs/states.ts';
import { STORAGE_QUOTA_DEFAULTS } from '../../durable/evs/quotas.ts';
import { act } from '../auth/middleware.ts';
import { zonesOf } from '../ecs/usecases/create.ts';
import { type AppContext, router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';

/** Each volume type's description (Flexible Engine's disk classes) and id (stable: derived from its name). */
const TYPES: Record<string, { description: string; id: string }> = {
  SATA: { description: 'Common I/O (SATA) disks', id: 'e1a3c9a0-5a1f-4c36-8f9a-2d5c3b1a0001' },
  SAS: { description: 'High I/O (SAS) disks', id: 'e1a3c9a0-5a1f-4c36-8f9a-2d5c3b1a0002' },
  SSD: { description: 'Ultra-high I/O (SSD) disks', id: 'e1a3c9a0-5a1f-4c36-8f9a-2d5c3b1a0003' },
};

function typeView(name: string, zones: string[]) {
  const t = TYPES[name]!;
  return {
    id: t.id,
    name,
    description: t.description,
    is_public: true,
    os_volume_type_access_is_public: true,
    qos_specs_id: null,
    extra_specs: { volume_backend_name: name, 'RESKEY:availability_zones': zones.join(','), multiattach: '<is> True' },
  };
}

export const catalogRoutes = router();

catalogRoutes.get('/types', act('evs:types:list'), (c) => {
  const zones = zonesOf(callerOf(c).region);
  return c.json({ volume_types: VOLUME_TYPES.map((t) => typeView(t, zones)) });
});

function typeOfPath(c: AppContext) {
  const id = c.req.param('type_id') ?? '';
  const name = VOLUME_TYPES.find((t) => t === id || TYPES[t]!.id === id);
  if (!name) throw notFound(`Volume type ${id} could not be found.`);
  return typeView(name, zonesOf(callerOf(c).region));
}

catalogRoutes.get('/types/:type_id', act('evs:types:list'), (c) => c.json({ volume_type: typeOfPath(c) }));
catalogRoutes.get('/types/:type_id/extra_specs', act('evs:types:list'), (c) => c.json({ extra_specs: typeOfPath(c).extra_specs }));

catalogRoutes.get('/os-availability-zone', act('evs:availabilityZones:list'), (c) =>
  c.json({ availabilityZoneInfo: zonesOf(callerOf(c).region).map((zoneName) => ({ zoneName, zoneState: { available: true } })) }),
);

catalogRoutes.get('/limits', act('evs:limits:get'), async (c) => {
  const { limits, usage } = unwrap(await tenant(c).storageQuotas());
  return c.json({
    limits: {
      rate: [],
      absolute: {
        maxTotalVolumes: limits.volumes,
        maxTotalVolumeGigabytes: limits.gigabytes,
        maxTotalSnapshots: limits.snapshots,
        maxTotalBackups: limits.backups,
        maxTotalBackupGigabytes: limits.backup_gigabytes,
        totalVolumesUsed: usage.volumes,
        totalGigabytesUsed: usage.gigabytes,
        totalSnapshotsUsed: usage.snapshots,
        totalBackupsUsed: usage.backups,
        totalBackupGigabytesUsed: usage.backup_gigabytes,
      },
    },
  });
});

/** A quota set is the caller's own project's (another's is as missing as a deleted one). */
function ownProject(c: AppContext): string {
  const asked = c.req.param('tenant_id') ?? '';
  const { projectId } = callerOf(c);
  if (asked !== projectId && !c.var.principal.operator) throw notFound(`Project ${asked} could not be found.`);
  return asked;
}

catalogRoutes.get('/os-quota-sets/:tenant_id', act('evs:quotas:get'), async (c) => {
  const id = ownProject(c);
  const { limits, usage } = unwrap(await c.env.TENANT.getByName(id).storageQuotas());
  const usageAsked = c.req.query('usage') === 'True' || c.req.query('usage') === 'true';
  const set = Object.fromEntries(
    Object.entries(limits).map(([k, limit]) => [k, usageAsked ? { limit, in_use: usage[k] ?? 0, reserved: 0, allocated: 0 } : limit]),
  );
  return c.json({ quota_set: { id, ...set } });
});

catalogRoutes.get('/os-quota-sets/:tenant_id/defaults', act('evs:quotas:get'), (c) =>
  c.json({ quota_set: { id: ownProject(c), ...STORAGE_QUOTA_DEFAULTS } }),
);

const quotaBody = z.object({ quota_set: z.record(z.string(), z.number().int().min(-1)) }).strict();

catalogRoutes.put('/os-quota-sets/:tenant_id', act('evs:quotas:update'), async (c) => {
  const { quota_set } = await jsonBody(c, quotaBody);
  const { tenant_id: _t, ...wanted } = quota_set as Record<string, number>;
  const id = c.req.param('tenant_id');
  return c.json({ quota_set: unwrap(await c.env.TENANT.getByName(id).setStorageQuotas(wanted)) });
});

catalogRoutes.get('/extensions', act('evs:extensions:list'), (c) => {
  projectScope(c);
  return c.json({
    extensions: [
      ['AvailabilityZones', 'os-availability-zone', 'Describe Availability Zones.'],
      ['QuotaSets', 'os-quota-sets', 'Quota management support.'],
      ['VolumeActions', 'os-volume-actions', 'Enable volume actions.'],
      ['VolumeTenantAttribute', 'os-vol-tenant-attr', 'Expose the internal project_id as an attribute of a volume.'],
      ['VolumeHostAttribute', 'os-vol-host-attr', 'Show the host of a volume (operators).'],
      ['SchedulerStats', 'scheduler-stats', 'Scheduler stats support.'],
    ].map(([name, alias, description]) => ({ name, alias, description, updated: '2013-04-18T00:00:00+00:00', links: [] })),
  });
});

catalogRoutes.get('/scheduler-stats/get_pools', act('evs:pools:list'), async (c) => {
  const detail = c.req.query('detail') === 'true' || c.req.query('detail') === 'True';
  const pools = [];
  for (const zone of zonesOf(callerOf(c).region)) {
    for (const p of unwrap(await c.env.ZONE.getByName(zone).storagePools())) {
      const name = `evs@${zone}#${p.volumeType}`;
      pools.push(
        detail
          ? {
              name,
              capabilities: {
                pool_name: p.volumeType,
                volume_backend_name: p.volumeType,
                availability_zone: zone,
                total_capacity_gb: p.capacityGb,
                allocated_capacity_gb: p.usedGb,
                free_capacity_gb: p.capacityGb - p.usedGb,
                backend_state: p.enabled ? 'up' : 'down',
                storage_protocol: 'iSCSI',
                vendor_name: 'Flexible Engine',
              },
            }
          : { name },
      );
    }
  }
  return c.json({ pools });
});
