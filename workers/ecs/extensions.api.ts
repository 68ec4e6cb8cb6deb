/**
 * Nova `GET /extensions` and `/extensions/{alias}`: the API extensions of v2.1 that this cloud honours, so that a
 * client probing for one (os-pause-server, OS-DCF, os-access-ips, ...) finds exactly what it can use. Any identity
 * of the project may read them, as Nova's `os_compute_api:extensions` allows.
 */
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';

/** [name, alias, description] of each extension we implement. */
const EXTENSIONS: readonly (readonly [string, string, string])[] = [
  ['AccessIPs', 'os-access-ips', 'Access IPs support.'],
  ['AvailabilityZone', 'os-availability-zone', '1. Add availability_zone to the Create Server API. 2. Add availability zones describing.'],
  ['ConsoleOutput', 'os-console-output', 'Console log output support, with tailing ability.'],
  ['CreateBackup', 'os-create-image', 'Create a private image of a server (createImage).'],
  ['DiskConfig', 'os-disk-config', 'Disk Management Extension.'],
  ['ExtendedAvailabilityZone', 'os-extended-availability-zone', 'Extended Availability Zone support.'],
  ['ExtendedStatus', 'os-extended-status', 'Extended Status support.'],
  ['ExtendedVolumes', 'os-extended-volumes', 'Extended Volumes support.'],
  ['FlavorExtraSpecs', 'os-flavor-extra-specs', 'Flavors extra specs support.'],
  ['InstanceActions', 'os-instance-actions', 'View a log of actions and events taken on an instance.'],
  ['Keypairs', 'os-keypairs', 'Keypair Support.'],
  ['Limits', 'limits', 'Limits support.'],
  ['LockServer', 'os-lock-server', 'Enable lock/unlock server actions.'],
  ['MultipleCreate', 'os-multiple-create', 'Allow multiple create in the Create Server v2.1 API.'],
  ['PauseServer', 'os-pause-server', 'Enable pause/unpause server actions.'],
  ['QuotaSets', 'os-quota-sets', 'Quotas management support.'],
  ['SecurityGroups', 'os-security-groups', 'Security group support (add and remove a group to a server).'],
  ['ServerGroups', 'os-server-groups', 'The server group extension.'],
  ['ServerMetadata', 'server-metadata', 'Server metadata Support.'],
  ['ServerStartStop', 'os-server-start-stop', 'Start/Stop instance compute API support.'],
  ['Servers', 'servers', 'Servers.'],
  ['SuspendServer', 'os-suspend-server', 'Enable suspend/resume server actions.'],
  ['UserData', 'os-user-data', 'Add user_data to the Create Server API.'],
  ['VolumeAttachments', 'os-volumes', 'Volume attachments of servers.'],
];

function extensionView([name, alias, description]: readonly [string, string, string]) {
  return {
    name,
    alias,
    description,
    namespace: 'http://docs.openstack.org/compute/ext/fake_xml',
    updated: '2014-12-03T00:00:00Z',
    links: [],
  };
}

export const extensionRoutes = router();

extensionRoutes.get('/extensions', act('ecs:extensions:list'), (c) => c.json({ extensions: EXTENSIONS.map(extensionView) }));

extensionRoutes.get('/extensions/:alias', act('ecs:extensions:list'), (c) => {
  const found = EXTENSIONS.find((e) => e[1] === c.req.param('alias'));
  if (!found) throw notFound('Unknown extension');
  return c.json({ extension: extensionView(found) });
});
