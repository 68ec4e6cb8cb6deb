/**
 * The policy actions of EVS (Cinder v3 and the native cloud volumes API): each with what it allows, its scope and
 * the operations (method, path) it covers. Routes name them in `act()`; the route-table test checks the
 * operations against the routes.
 */
import { defineActions } from '../auth/actions.ts';

const V3 = '/evs/v3/{project_id}';
const N2 = '/evs/v2/{project_id}';
const N21 = '/evs/v2.1/{project_id}';

export const evsActions = defineActions('evs', {
  'volumes:create': {
    description: 'Create volumes',
    scope: 'project',
    operations: [`POST ${V3}/volumes`, `POST ${N2}/cloudvolumes`, `POST ${N21}/cloudvolumes`, 'POST /console/evs/volumes'],
  },
  'volumes:list': {
    description: 'List volumes',
    scope: 'project',
    operations: [
      `GET ${V3}/volumes`,
      `GET ${V3}/volumes/detail`,
      `GET ${N2}/cloudvolumes/detail`,
      'GET /console/evs',
      'GET /console/evs/volumes',
      'GET /console/evs/volumes/rows',
    ],
  },
  'volumes:get': {
    description: 'Show volumes and their metadata',
    scope: 'project',
    operations: [
      `GET ${V3}/volumes/{volume_id}`,
      `GET ${V3}/volumes/{volume_id}/metadata`,
      `GET ${V3}/volumes/{volume_id}/metadata/{key}`,
      `GET ${N2}/cloudvolumes/{volume_id}`,
      `GET ${N2}/os-vendor-tags/volumes/{volume_id}`,
      `GET ${N2}/cloudvolumes/{volume_id}/tags`,
      'GET /console/evs/volumes/{volume_id}',
      'GET /console/evs/volumes/{volume_id}/summary',
    ],
  },
  'volumes:update': {
    description: "Change a volume's name, description and metadata",
    scope: 'project',
    operations: [
      `PUT ${V3}/volumes/{volume_id}`,
      `POST ${V3}/volumes/{volume_id}/metadata`,
      `PUT ${V3}/volumes/{volume_id}/metadata`,
      `PUT ${V3}/volumes/{volume_id}/metadata/{key}`,
      `DELETE ${V3}/volumes/{volume_id}/metadata/{key}`,
      `PUT ${N2}/cloudvolumes/{volume_id}`,
      `PUT ${N2}/os-vendor-tags/volumes/{volume_id}`,
      `POST ${N2}/cloudvolumes/{volume_id}/tags/action`,
    ],
  },
  'volumes:delete': {
    description: 'Delete volumes',
    scope: 'project',
    operations: [
      `DELETE ${V3}/volumes/{volume_id}`,
      `DELETE ${N2}/cloudvolumes/{volume_id}`,
      'POST /console/evs/volumes/{volume_id}/delete',
    ],
  },
  'volumes:extend': {
    description: 'Extend volumes (os-extend)',
    scope: 'project',
    operations: [
      `POST ${V3}/volumes/{volume_id}/action`,
      `POST ${N2}/cloudvolumes/{volume_id}/action`,
      `POST ${N21}/cloudvolumes/{volume_id}/action`,
      'POST /console/evs/volumes/{volume_id}/extend',
    ],
  },
  'volumes:setBootable': {
    description: 'Mark volumes bootable or not (os-set_bootable)',
    scope: 'project',
    operations: [`POST ${V3}/volumes/{volume_id}/action`],
  },
  'volumes:setReadonly': {
    description: 'Make volumes read-only or read-write (os-update_readonly_flag)',
    scope: 'project',
    operations: [`POST ${V3}/volumes/{volume_id}/action`],
  },
  'volumes:revert': {
    description: 'Revert volumes to their latest snapshot (revert, 3.40; native rollback)',
    scope: 'project',
    operations: [`POST ${V3}/volumes/{volume_id}/action`, `POST ${N2}/cloudsnapshots/{snapshot_id}/rollback`],
  },
  'volumes:resetStatus': {
    description: "Set a volume's status to repair it (os-reset_status)",
    scope: 'operator',
    refusal: "Only the cloud operator resets a volume's status.",
    operations: [`POST ${V3}/volumes/{volume_id}/action`],
  },
  'volumes:forceDelete': {
    description: 'Delete volumes in any state (os-force_delete)',
    scope: 'operator',
    refusal: 'Only the cloud operator force-deletes volumes.',
    operations: [`POST ${V3}/volumes/{volume_id}/action`],
  },
  'types:list': {
    description: 'List and show volume types',
    scope: 'project',
    operations: [`GET ${V3}/types`, `GET ${V3}/types/{type_id}`, `GET ${V3}/types/{type_id}/extra_specs`],
  },
  'availabilityZones:list': {
    description: 'List the availability zones of block storage',
    scope: 'project',
    operations: [`GET ${V3}/os-availability-zone`],
  },
  'limits:get': {
    description: "Show the project's block storage limits and usage",
    scope: 'project',
    operations: [`GET ${V3}/limits`],
  },
  'quotas:get': {
    description: 'Show block storage quotas (and the defaults)',
    scope: 'project',
    operations: [`GET ${V3}/os-quota-sets/{tenant_id}`, `GET ${V3}/os-quota-sets/{tenant_id}/defaults`],
  },
  'quotas:update': {
    description: 'Change block storage quotas',
    scope: 'operator',
    refusal: 'Only the cloud operator changes quotas.',
    operations: [`PUT ${V3}/os-quota-sets/{tenant_id}`],
  },
  'pools:list': {
    description: "Show the zones' storage pools and what is held of them (scheduler-stats)",
    scope: 'operator',
    refusal: 'Only the cloud operator sees storage pools.',
    operations: [`GET ${V3}/scheduler-stats/get_pools`],
  },
  'pools:update': {
    description: "Change a zone's storage pool: capacity, in or out of service",
    scope: 'operator',
    refusal: 'Only the cloud operator changes storage pools.',
    operations: ['PUT /evs/admin/zones/{zone}/pools/{volume_type}'],
  },
  'jobs:get': {
    description: 'Show the jobs of the native EVS API',
    scope: 'project',
    operations: ['GET /evs/v1/{project_id}/jobs/{job_id}'],
  },
  'extensions:list': {
    description: 'List the Cinder extensions offered',
    scope: 'project',
    operations: [`GET ${V3}/extensions`],
  },
  'snapshots:create': {
    description: 'Create snapshots of volumes (force: of an attached one)',
    scope: 'project',
    operations: [`POST ${V3}/snapshots`, `POST ${N2}/cloudsnapshots`, 'POST /console/evs/volumes/{volume_id}/snapshots'],
  },
  'snapshots:list': {
    description: 'List snapshots',
    scope: 'project',
    operations: [`GET ${V3}/snapshots`, `GET ${V3}/snapshots/detail`, `GET ${N2}/cloudsnapshots/detail`, 'GET /console/evs/snapshots'],
  },
  'snapshots:get': {
    description: 'Show snapshots and their metadata',
    scope: 'project',
    operations: [
      `GET ${V3}/snapshots/{snapshot_id}`,
      `GET ${V3}/snapshots/{snapshot_id}/metadata`,
      `GET ${V3}/snapshots/{snapshot_id}/metadata/{key}`,
    ],
  },
  'snapshots:update': {
    description: "Change a snapshot's name, description and metadata",
    scope: 'project',
    operations: [
      `PUT ${V3}/snapshots/{snapshot_id}`,
      `PUT ${N2}/cloudsnapshots/{snapshot_id}`,
      `POST ${V3}/snapshots/{snapshot_id}/metadata`,
      `PUT ${V3}/snapshots/{snapshot_id}/metadata`,
      `PUT ${V3}/snapshots/{snapshot_id}/metadata/{key}`,
      `DELETE ${V3}/snapshots/{snapshot_id}/metadata/{key}`,
    ],
  },
  'snapshots:delete': {
    description: 'Delete snapshots',
    scope: 'project',
    operations: [
      `DELETE ${V3}/snapshots/{snapshot_id}`,
      `DELETE ${N2}/cloudsnapshots/{snapshot_id}`,
      'POST /console/evs/snapshots/{snapshot_id}/delete',
    ],
  },
});
