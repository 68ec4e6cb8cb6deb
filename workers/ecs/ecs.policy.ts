/**
 * The policy actions of ECS (Nova and the native cloud servers API): each with what it allows, its scope and the operations (method,
 * path) it covers. Routes name them in `act()`; the route-table test checks the operations against the routes.
 */
import { defineActions } from '../auth/actions.ts';

export const ecsActions = defineActions('ecs', {
  'flavors:list': {
    description: 'List flavors',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/flavors', 'GET /ecs/v2.1/{project_id}/flavors/detail'],
  },
  'flavors:get': {
    description: 'Show flavors',
    scope: 'project',
    operations: [
      'GET /ecs/v2.1/{project_id}/flavors/{flavor_id}',
      'GET /ecs/v2.1/{project_id}/flavors/{flavor_id}/os-extra_specs',
      'GET /ecs/v2.1/{project_id}/flavors/{flavor_id}/os-extra_specs/{key}',
    ],
  },
  'servers:create': {
    description: 'Create servers',
    scope: 'project',
    operations: [
      'POST /ecs/v2.1/{project_id}/servers',
      'POST /ecs/v1/{project_id}/cloudservers',
      'GET /console/ecs/servers/new',
      'POST /console/ecs/servers',
    ],
  },
  'servers:list': {
    description: 'List servers',
    scope: 'project',
    operations: [
      'GET /ecs/v2.1/{project_id}/servers',
      'GET /ecs/v2.1/{project_id}/servers/detail',
      'GET /ecs/v1/{project_id}/cloudservers/detail',
      'GET /console/ecs',
      'GET /console/ecs/servers',
      'GET /console/ecs/servers/rows',
    ],
  },
  'servers:get': {
    description: 'Show servers',
    scope: 'project',
    operations: [
      'GET /ecs/v2.1/{project_id}/servers/{server_id}',
      'GET /ecs/v2.1/{project_id}/servers/{server_id}/ips',
      'GET /ecs/v2.1/{project_id}/servers/{server_id}/os-interface',
      'GET /ecs/v2.1/{project_id}/servers/{server_id}/metadata',
      'GET /ecs/v2.1/{project_id}/servers/{server_id}/metadata/{key}',
      'GET /ecs/v2.1/{project_id}/servers/{server_id}/os-instance-actions',
      'GET /ecs/v2.1/{project_id}/servers/{server_id}/os-instance-actions/{request_id}',
      'GET /ecs/v1/{project_id}/cloudservers/{server_id}',
      'GET /ecs/v1/{project_id}/cloudservers/{server_id}/autorecovery',
      'GET /console/ecs/servers/{server_id}',
      'GET /console/ecs/servers/{server_id}/summary',
    ],
  },
  'servers:update': {
    description: 'Change servers',
    scope: 'project',
    operations: [
      'PUT /ecs/v2.1/{project_id}/servers/{server_id}',
      'POST /ecs/v2.1/{project_id}/servers/{server_id}/metadata',
      'PUT /ecs/v2.1/{project_id}/servers/{server_id}/metadata',
      'PUT /ecs/v2.1/{project_id}/servers/{server_id}/metadata/{key}',
      'DELETE /ecs/v2.1/{project_id}/servers/{server_id}/metadata/{key}',
      'PUT /ecs/v1/{project_id}/cloudservers/{server_id}/autorecovery',
    ],
  },
  'servers:delete': {
    description: 'Delete servers',
    scope: 'project',
    operations: [
      'DELETE /ecs/v2.1/{project_id}/servers/{server_id}',
      'POST /ecs/v1/{project_id}/cloudservers/delete',
      'POST /console/ecs/servers/{server_id}/delete',
    ],
  },
  'servers:start': {
    description: 'Start (power on) servers',
    scope: 'project',
    operations: [
      'POST /ecs/v2.1/{project_id}/servers/{server_id}/action (os-start)',
      'POST /ecs/v1/{project_id}/cloudservers/action (os-start)',
      'POST /console/ecs/servers/{server_id}/start',
    ],
  },
  'servers:stop': {
    description: 'Stop (power off) servers',
    scope: 'project',
    operations: [
      'POST /ecs/v2.1/{project_id}/servers/{server_id}/action (os-stop)',
      'POST /ecs/v1/{project_id}/cloudservers/action (os-stop)',
      'POST /console/ecs/servers/{server_id}/stop',
    ],
  },
  'servers:reboot': {
    description: 'Reboot servers, soft or hard',
    scope: 'project',
    operations: [
      'POST /ecs/v2.1/{project_id}/servers/{server_id}/action (reboot)',
      'POST /ecs/v1/{project_id}/cloudservers/action (reboot)',
      'POST /console/ecs/servers/{server_id}/reboot',
    ],
  },
  'servers:rebuild': {
    description: 'Rebuild a server from an image',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (rebuild)'],
  },
  'servers:confirmResize': {
    description: 'Confirm a resize',
    scope: 'project',
    operations: [
      'POST /ecs/v2.1/{project_id}/servers/{server_id}/action (confirmResize)',
      'POST /console/ecs/servers/{server_id}/confirm-resize',
    ],
  },
  'servers:revertResize': {
    description: 'Revert a resize',
    scope: 'project',
    operations: [
      'POST /ecs/v2.1/{project_id}/servers/{server_id}/action (revertResize)',
      'POST /console/ecs/servers/{server_id}/revert-resize',
    ],
  },
  'servers:lock': {
    description: 'Lock a server',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (lock)'],
  },
  'servers:unlock': {
    description: 'Unlock a server',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (unlock)'],
  },
  'servers:pause': {
    description: 'Pause a server (its guest frozen in memory)',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (pause)'],
  },
  'servers:unpause': {
    description: 'Unpause a paused server',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (unpause)'],
  },
  'servers:suspend': {
    description: 'Suspend a server (its guest saved to disk)',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (suspend)'],
  },
  'servers:resume': {
    description: 'Resume a suspended server',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (resume)'],
  },
  'servers:addSecurityGroup': {
    description: 'Add a security group to a server and its ports',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (addSecurityGroup)'],
  },
  'servers:removeSecurityGroup': {
    description: 'Remove a security group from a server and its ports',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (removeSecurityGroup)'],
  },
  'servers:triggerCrashDump': {
    description: 'Trigger a crash dump (NMI)',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (trigger_crash_dump)'],
  },
  'servers:createImage': {
    description: 'Make a private image of a server (createImage)',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/servers/{server_id}/action (createImage)'],
  },
  'servers:getConsoleOutput': {
    description: "Read a server's console output",
    scope: 'project',
    operations: [
      'POST /ecs/v2.1/{project_id}/servers/{server_id}/action (os-getConsoleOutput)',
      'GET /console/ecs/servers/{server_id}/console',
    ],
  },
  'servers:getVolumeAttachments': {
    description: "List and show a server's volume attachments",
    scope: 'project',
    operations: [
      'GET /ecs/v2.1/{project_id}/servers/{server_id}/os-volume_attachments',
      'GET /ecs/v2.1/{project_id}/servers/{server_id}/os-volume_attachments/{volume_id}',
    ],
  },
  'servers:attachVolume': {
    description: 'Attach a volume to a server',
    scope: 'project',
    operations: [
      'POST /ecs/v2.1/{project_id}/servers/{server_id}/os-volume_attachments',
      'POST /ecs/v1/{project_id}/cloudservers/{server_id}/attachvolume',
      'POST /console/evs/volumes/{volume_id}/attach',
    ],
  },
  'servers:detachVolume': {
    description: 'Detach a volume from a server',
    scope: 'project',
    operations: [
      'DELETE /ecs/v2.1/{project_id}/servers/{server_id}/os-volume_attachments/{volume_id}',
      'DELETE /ecs/v1/{project_id}/cloudservers/{server_id}/detachvolume/{volume_id}',
      'POST /console/evs/volumes/{volume_id}/detach',
    ],
  },
  'servers:swapVolume': {
    description: "Swap a server's volume for another (Nova's volume update)",
    scope: 'operator',
    refusal: 'Only the cloud operator swaps the volumes of a server.',
    operations: ['PUT /ecs/v2.1/{project_id}/servers/{server_id}/os-volume_attachments/{volume_id}'],
  },
  'serverTags:list': {
    description: 'List server tags',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/servers/{server_id}/tags'],
  },
  'serverTags:update': {
    description: 'Add or replace server tags',
    scope: 'project',
    operations: ['PUT /ecs/v2.1/{project_id}/servers/{server_id}/tags', 'PUT /ecs/v2.1/{project_id}/servers/{server_id}/tags/{tag}'],
  },
  'serverTags:delete': {
    description: 'Remove server tags',
    scope: 'project',
    operations: ['DELETE /ecs/v2.1/{project_id}/servers/{server_id}/tags', 'DELETE /ecs/v2.1/{project_id}/servers/{server_id}/tags/{tag}'],
  },
  'serverTags:get': {
    description: 'Show server tags',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/servers/{server_id}/tags/{tag}'],
  },
  'keypairs:list': {
    description: 'List keypairs',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/os-keypairs'],
  },
  'keypairs:create': {
    description: 'Create keypairs',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/os-keypairs'],
  },
  'keypairs:get': {
    description: 'Show keypairs',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/os-keypairs/{name}'],
  },
  'keypairs:delete': {
    description: 'Delete keypairs',
    scope: 'project',
    operations: ['DELETE /ecs/v2.1/{project_id}/os-keypairs/{name}'],
  },
  'serverGroups:list': {
    description: 'List server groups',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/os-server-groups'],
  },
  'serverGroups:create': {
    description: 'Create server groups',
    scope: 'project',
    operations: ['POST /ecs/v2.1/{project_id}/os-server-groups'],
  },
  'serverGroups:get': {
    description: 'Show server groups',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/os-server-groups/{id}'],
  },
  'serverGroups:delete': {
    description: 'Delete server groups',
    scope: 'project',
    operations: ['DELETE /ecs/v2.1/{project_id}/os-server-groups/{id}'],
  },
  'availabilityZones:list': {
    description: 'List availability zones',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/os-availability-zone'],
  },
  'securityGroups:list': {
    description: "List and show the project's security groups through Nova's proxy (os-security-groups)",
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/os-security-groups', 'GET /ecs/v2.1/{project_id}/os-security-groups/{id}'],
  },
  'extensions:list': {
    description: 'List and show the API extensions (any reader, as Nova allows)',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/extensions', 'GET /ecs/v2.1/{project_id}/extensions/{alias}'],
  },
  'limits:get': {
    description: "Show the project's absolute limits and usage",
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/limits'],
  },
  'quotas:get': {
    description: 'Show quotas',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/os-quota-sets/{tenant_id}', 'GET /ecs/v2.1/{project_id}/os-quota-sets/{tenant_id}/detail'],
  },
  'defaultQuotas:get': {
    description: 'Show the default quotas (Nova os-quota-sets:defaults; readers too, as any caller in Nova)',
    scope: 'project',
    operations: ['GET /ecs/v2.1/{project_id}/os-quota-sets/{tenant_id}/defaults'],
  },
  'quotas:update': {
    description: 'Change quotas',
    scope: 'operator',
    refusal: 'Only the cloud operator changes quotas.',
    operations: ['PUT /ecs/v2.1/{project_id}/os-quota-sets/{tenant_id}'],
  },
  'servers:resize': {
    description: 'Resize a server (Nova resize, native resize)',
    scope: 'project',
    operations: [
      'POST /ecs/v1/{project_id}/cloudservers/{server_id}/resize',
      'POST /ecs/v2.1/{project_id}/servers/{server_id}/action (resize)',
      'POST /console/ecs/servers/{server_id}/resize',
    ],
  },
  'jobs:get': {
    description: 'Show a native job',
    scope: 'project',
    operations: ['GET /ecs/v1/{project_id}/jobs/{job_id}'],
  },
  'hypervisors:list': {
    description: 'List and show the hypervisors, and the compute services on them (Nova os-hypervisors, os-services)',
    scope: 'operator',
    refusal: 'Only the cloud operator sees the hypervisors.',
    operations: [
      'GET /ecs/v2.1/{project_id}/os-hypervisors',
      'GET /ecs/v2.1/{project_id}/os-hypervisors/detail',
      'GET /ecs/v2.1/{project_id}/os-hypervisors/{hypervisor_id}',
      'GET /ecs/v2.1/{project_id}/os-services',
    ],
  },
  'hosts:list': {
    description: 'List the host fleet with capacity and liveness',
    scope: 'operator',
    refusal: 'Only the cloud operator manages hosts.',
    operations: ['GET /ecs/admin/hosts'],
  },
  'hosts:get': {
    description: 'Show a host with its claims',
    scope: 'operator',
    refusal: 'Only the cloud operator manages hosts.',
    operations: ['GET /ecs/admin/hosts/{host_id}'],
  },
  'hosts:update': {
    description: 'Disable, enable or grant a host, fail it on purpose, revive it',
    scope: 'operator',
    refusal: 'Only the cloud operator manages hosts.',
    operations: ['PUT /ecs/admin/hosts/{host_id}', 'POST /ecs/admin/hosts/{host_id}/fail', 'POST /ecs/admin/hosts/{host_id}/revive'],
  },
});
