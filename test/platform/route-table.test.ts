/**
 * Checks generated from the route table and the registry, so that a route added without its policy or its
 * tenant-isolation case fails the build: every route has one guard; every action it names is registered and
 * lists it among its operations; every operator action refuses a customer before reading the request; and every
 * route that names a resource is tried by another account's administrator, with its own project in the path,
 * against one real resource of each kind: 404 or 403, and nothing of the owner's changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS as S3_OPERATIONS } from '../../core/obs/actions.ts';
import hostSeed from '../../seed/hosts.json';
import { act, publicRoute } from '../../workers/auth/middleware.ts';
import { app } from '../../workers/index.ts';
import { router } from '../../workers/lib/app.ts';
import { ACTIONS, actionSpec, SERVICES } from '../../workers/services.ts';
import { activeServer, computeProject } from '../ecs/fixtures.ts';
import { activeLb, child } from '../elb/fixtures.ts';
import { availableVolume } from '../evs/fixtures.ts';
import { createUser, newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { bucketName, type ObsUser, s3, xmlText } from '../obs/fixtures.ts';
import { call, json, nova } from '../request.ts';
import { waitBackup, waitSnapshot } from '../vbs/fixtures.ts';
import { signIn } from '../web/console.ts';
import {
  type Endpoint,
  endpoints,
  kindOf,
  operationDrift,
  operationPath,
  resourceParams,
  unguarded,
  unregistered,
  withoutIsolationCase,
} from './route-checks.ts';

/** Resource kinds every account sees alike (the public catalogue), which isolation does not apply to. */
const SHARED = new Set([
  'flavor_id',
  'alias',
  'images/id',
  'key',
  // Volume types and the zones' storage pools are the cloud's, alike for every account.
  'type_id',
  'zone',
  'volume_type',
  // The Cloud Store's public pages are the same for everyone.
  'slug',
  // Glance's metadefs namespaces are the cloud's.
  'namespace',
  // The Console's stylesheet and scripts are the same for everyone.
  'file',
  // The price list is public (the Cloud Store shows it); only the operator revises it.
  'line_id',
  // Keystone's regions, services and endpoints are the catalog every token carries, alike for every account.
  'region_id',
  'service_id',
  'endpoint_id',
  // The hypervisors are the operator's fleet, which no customer reads.
  'hypervisor_id',
  // RTS's template versions are the engine's, alike for every account.
  'template_version',
]);

/**
 * Bodies for write routes whose handler validates the body before it looks the resource up: without one, the
 * intruder's 400 would prove nothing. `{x}` is filled with the owner's resource of kind x. A route that performs
 * several operations gets a body for each.
 */
const BODIES: Record<string, unknown[]> = {
  // Cloud Eye: a rule's change, its switch, and a server's workload.
  'PUT /ces/V1.0/{project_id}/alarms/{alarm_id}': [{ alarm_name: 'taken' }],
  'PUT /ces/V1.0/{project_id}/alarms/{alarm_id}/action': [{ alarm_enabled: false }],
  'PUT /ces/V1.0/{project_id}/load-profiles/{server_id}': [{ load_profile: { shape: 'constant', level: 99 } }],
  // BSS names orders and subscribed resources in the body.
  'POST /bss/v2/orders/customer-orders/pay': [{ order_id: '{order_id}' }],
  'POST /bss/v2/orders/customer-orders/cancel': [{ order_id: '{order_id}' }],
  'POST /bss/v2/orders/subscriptions/resources/unsubscribe': [{ resource_ids: ['{order_id}'] }],
  'POST /bss/v2/orders/subscriptions/resources/renew': [{ resource_ids: ['{order_id}'] }],
  'POST /store/portal/billing/plans/{resource_id}/autorenew': [{ auto_renew: 'on' }],
  // The Console's forms: their fields (a `file` goes as a file, `json` as the script's JSON body).
  'POST /console/obs/buckets/{bucket}/objects': [{ file: 'taken' }],
  'POST /console/obs/buckets/{bucket}/folders': [{ folder: 'taken' }],
  'POST /console/obs/buckets/{bucket}/objects/delete': [{ key: 'k' }],
  'POST /console/obs/buckets/{bucket}/settings/versioning': [{ status: 'Enabled' }],
  'POST /console/obs/buckets/{bucket}/settings/acl': [{ acl: 'public-read-write' }],
  'POST /console/obs/buckets/{bucket}/settings/lifecycle': [{ id: 'taken', prefix: '', days: '1' }],
  'POST /console/obs/buckets/{bucket}/settings/lifecycle/delete': [{ id: 'taken' }],
  'POST /console/obs/buckets/{bucket}/uploads': [{ json: { key: 'taken' } }],
  'POST /console/obs/buckets/{bucket}/uploads/{upload}/complete': [
    { json: { key: 'k', parts: [{ partNumber: 1, etag: '0'.repeat(32) }] } },
  ],
  'POST /console/obs/buckets/{bucket}/uploads/{upload}/abort': [{ json: { key: 'k' } }],
  // The identity pages' forms, at both doors that show them (the Customer Portal and the Console's IAM section).
  ...Object.fromEntries(
    ['/store/portal', '/console/iam'].flatMap((door) => [
      [`POST ${door}/users/{user_id}`, [{ name: 'taken' }]],
      [`POST ${door}/users/{user_id}/password`, [{ password: 'Taken-pass-12345' }]],
      [`POST ${door}/users/{user_id}/groups`, [{ group: '{group_id}' }]],
      [`POST ${door}/groups/{group_id}/members`, [{ user: '{user_id}' }]],
      ...['users/{user_id}', 'groups/{group_id}'].flatMap((actor) => [
        [`POST ${door}/${actor}/roles`, [{ role: '{role_id}', scope: 'domain' }]],
        [`POST ${door}/${actor}/roles/revoke`, [{ role: '{role_id}', scope: 'domain' }]],
      ]),
    ]),
  ),
  'PATCH /iam/v3/users/{user_id}': [{ user: { description: 'taken' } }],
  'POST /iam/v3/users/{user_id}/credentials/OS-EC2': [{ tenant_id: '{project_id}' }],
  'POST /iam/v3/users/{user_id}/password': [{ user: { original_password: 'User-pass-12345', password: 'Taken-pass-12345' } }],
  'PATCH /iam/v3/groups/{group_id}': [{ group: { description: 'taken' } }],
  'PATCH /iam/v3/projects/{project_id}': [{ project: { description: 'taken' } }],
  'PATCH /iam/v3/roles/{role_id}': [{ role: { name: 'taken' } }],
  'PUT /iam/v3.0/OS-CREDENTIAL/credentials/{access}': [{ credential: { status: 'inactive' } }],
  'PATCH /iam/v3.0/OS-ROLE/roles/{role_id}': [{ role: { display_name: 'taken' } }],
  'PUT /vpc/v2.0/networks/{id}': [{ network: { name: 'taken' } }],
  'PUT /vpc/v2.0/subnets/{id}': [{ subnet: { name: 'taken' } }],
  'PUT /vpc/v2.0/ports/{id}': [{ port: { name: 'taken' } }],
  'PUT /vpc/v2.0/routers/{id}': [{ router: { name: 'taken' } }],
  'PUT /vpc/v2.0/routers/{id}/add_router_interface': [{ subnet_id: '{subnets/id}' }],
  'PUT /vpc/v2.0/routers/{id}/remove_router_interface': [{ subnet_id: '{subnets/id}' }],
  'PUT /vpc/v2.0/security-groups/{id}': [{ security_group: { name: 'taken' } }],
  'PUT /vpc/v2.0/floatingips/{id}': [{ floatingip: { port_id: null } }],
  'PUT /vpc/v2.0/vpc/peerings/{id}': [{ peering: { name: 'taken' } }],
  'PUT /vpc/v2.0/vpn/ikepolicies/{id}': [{ ikepolicy: { name: 'taken' } }],
  'PUT /vpc/v2.0/vpn/ipsecpolicies/{id}': [{ ipsecpolicy: { name: 'taken' } }],
  'PUT /vpc/v2.0/vpn/vpnservices/{id}': [{ vpnservice: { name: 'taken' } }],
  'PUT /vpc/v2.0/vpn/endpoint-groups/{id}': [{ endpoint_group: { name: 'taken' } }],
  'PUT /vpc/v2.0/vpn/ipsec-site-connections/{id}': [{ ipsec_site_connection: { name: 'taken' } }],
  'PUT /vpc/v1/{project_id}/vpcs/{vpc_id}': [{ vpc: { name: 'taken' } }],
  'PUT /vpc/v1/{project_id}/vpcs/{vpc_id}/subnets/{subnet_id}': [{ subnet: { name: 'taken' } }],
  'PUT /vpc/v1/{project_id}/publicips/{publicip_id}': [{ publicip: { port_id: null } }],
  'PUT /vpc/v1/{project_id}/bandwidths/{bandwidth_id}': [{ bandwidth: { name: 'taken' } }],
  'PUT /ecs/v2.1/{project_id}/servers/{server_id}': [{ server: { name: 'taken' } }],
  'POST /ecs/v2.1/{project_id}/servers/{server_id}/metadata': [{ metadata: { x: 'y' } }],
  'PUT /ecs/v2.1/{project_id}/servers/{server_id}/metadata': [{ metadata: { x: 'y' } }],
  'PUT /ecs/v2.1/{project_id}/servers/{server_id}/metadata/{key}': [{ meta: { k: 'taken' } }],
  'POST /ecs/v2.1/{project_id}/servers/{server_id}/action': [
    { 'os-stop': null },
    { 'os-start': null },
    { reboot: { type: 'HARD' } },
    { 'os-getConsoleOutput': {} },
    { resize: { flavorRef: 's3.medium.2' } },
    { rebuild: { imageRef: '{images/id}' } },
    { confirmResize: null },
    { revertResize: null },
    { lock: null },
    { unlock: null },
  ],
  'PUT /ecs/v1/{project_id}/cloudservers/{server_id}/autorecovery': [{ support_auto_recovery: 'false' }],
  'POST /ecs/v2.1/{project_id}/servers/{server_id}/os-volume_attachments': [{ volumeAttachment: { volumeId: '{volume_id}' } }],
  'POST /ecs/v1/{project_id}/cloudservers/{server_id}/attachvolume': [{ volumeAttachment: { volumeId: '{volume_id}' } }],
  'POST /evs/v3/{project_id}/volumes': [{ volume: { size: 1 } }],
  'PUT /evs/v3/{project_id}/volumes/{volume_id}': [{ volume: { name: 'taken' } }],
  'POST /evs/v3/{project_id}/volumes/{volume_id}/metadata': [{ metadata: { x: 'y' } }],
  'PUT /evs/v3/{project_id}/volumes/{volume_id}/metadata': [{ metadata: { x: 'y' } }],
  'PUT /evs/v3/{project_id}/volumes/{volume_id}/metadata/{key}': [{ meta: { k: 'taken' } }],
  'POST /evs/v3/{project_id}/snapshots': [{ snapshot: { volume_id: '{volume_id}', force: true } }],
  'PUT /evs/v3/{project_id}/snapshots/{snapshot_id}': [{ snapshot: { name: 'taken' } }],
  'POST /evs/v3/{project_id}/snapshots/{snapshot_id}/metadata': [{ metadata: { x: 'y' } }],
  'PUT /evs/v3/{project_id}/snapshots/{snapshot_id}/metadata': [{ metadata: { x: 'y' } }],
  'PUT /evs/v3/{project_id}/snapshots/{snapshot_id}/metadata/{key}': [{ meta: { k: 'taken' } }],
  'POST /evs/v2/{project_id}/cloudsnapshots': [{ snapshot: { volume_id: '{volume_id}', force: true } }],
  'PUT /evs/v2/{project_id}/cloudsnapshots/{snapshot_id}': [{ snapshot: { name: 'taken' } }],
  'POST /evs/v2/{project_id}/cloudsnapshots/{snapshot_id}/rollback': [{ rollback: { volume_id: '{volume_id}' } }],
  'POST /evs/v3/{project_id}/backups': [{ backup: { volume_id: '{volume_id}', force: true } }],
  'PUT /evs/v3/{project_id}/backups/{backup_id}': [{ backup: { name: 'taken' } }],
  'POST /evs/v3/{project_id}/backups/{backup_id}/restore': [{ restore: { volume_id: '{volume_id}' } }, { restore: { name: 'taken' } }],
  'POST /vbs/v2/{project_id}/backups': [{ backup: { volume_id: '{volume_id}', force: true } }],
  'PUT /vbs/v2/{project_id}/backups/{backup_id}': [{ backup: { name: 'taken' } }],
  'POST /vbs/v2/{project_id}/backups/{backup_id}/restore': [{ restore: { volume_id: '{volume_id}' } }, { restore: { name: 'taken' } }],
  'POST /vbs/v2/{project_id}/cloudbackups': [{ backup: { volume_id: '{volume_id}', name: 'taken' } }],
  'POST /vbs/v2/{project_id}/cloudbackups/{backup_id}/restore': [{ restore: { volume_id: '{volume_id}' } }],
  'POST /vbs/v2/{project_id}/backuppolicy': [
    {
      backup_policy_name: 'taken',
      scheduled_policy: { start_time: '03:00', frequency: 1, rentention_num: 2, remain_first_backup_of_curMonth: 'N', status: 'ON' },
    },
  ],
  'PUT /vbs/v2/{project_id}/backuppolicy/{backup_policy_id}': [{ backup_policy_name: 'taken' }],
  'POST /vbs/v2/{project_id}/backuppolicyresources': [
    { backup_policy_id: '{backup_policy_id}', resources: [{ resource_id: '{volume_id}', resource_type: 'volume' }] },
  ],
  'POST /vbs/v2/{project_id}/backuppolicyresources/{backup_policy_id}/deleted_resources': [{ resources: [{ resource_id: '{volume_id}' }] }],
  'PUT /elb/v2.0/lbaas/loadbalancers/{id}': [{ loadbalancer: { name: 'taken' } }],
  'PUT /elb/v2.0/lbaas/listeners/{id}': [{ listener: { name: 'taken' } }],
  'PUT /elb/v2.0/lbaas/pools/{id}': [{ pool: { name: 'taken' } }],
  'POST /elb/v2.0/lbaas/pools/{pool_id}/members': [{ member: { address: '10.0.0.99', protocol_port: 80 } }],
  'PUT /elb/v2.0/lbaas/pools/{pool_id}/members/{id}': [{ member: { name: 'taken' } }],
  'PUT /elb/v2.0/lbaas/healthmonitors/{id}': [{ healthmonitor: { name: 'taken' } }],
  'POST /evs/v3/{project_id}/volumes/{volume_id}/action': [
    { 'os-extend': { new_size: 20 } },
    { 'os-set_bootable': { bootable: true } },
    { 'os-update_readonly_flag': { readonly: true } },
    { revert: { snapshot_id: '{snapshot_id}' } },
  ],
};

/** Routes whose refusal is not 404 or 403, and why (never a success, never a 400). */
const REFUSED_AS: Record<string, number> = {
  // Keystone: a user changes only its own password, and says so with 401 whoever the user named is.
  'POST /iam/v3/users/{user_id}/password': 401,
};

const routes = endpoints(app);

describe('the route table', () => {
  it('gives every route exactly one guard: an action, any identity, or public with a reason', () => {
    expect(routes.length).toBeGreaterThan(250);
    expect(unguarded(routes)).toEqual([]);
  });

  it('names only registered actions, and each action lists exactly the routes that use it', () => {
    expect(unregistered(routes, ACTIONS)).toEqual([]);
    expect(operationDrift(routes, ACTIONS)).toEqual([]);
  });

  it("covers OBS's S3 operations: each names a registered action that lists it", () => {
    for (const op of Object.values(S3_OPERATIONS)) {
      const spec = actionSpec(op.iam);
      expect(spec, op.iam).toBeDefined();
      expect(spec!.operations, op.iam).toContain(`S3 ${op.s3}`);
    }
  });

  it('keeps the registry and the policy tables one list (every namespace is a service, every action in one)', () => {
    for (const s of SERVICES) for (const ns of Object.keys(s.policy)) expect([s.name, 'eip']).toContain(ns);
    const names = SERVICES.flatMap((s) => Object.values(s.policy).flatMap((t) => Object.keys(t)));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(ACTIONS).sort()).toEqual(names.sort());
  });

  it('fails a route without a guard, with an unregistered action, or without an isolation case (the checks themselves)', () => {
    const made = router();
    made.get('/ecs/v2.1/{project_id}/things', (c) => c.text('no guard'));
    made.get('/ecs/v2.1/:project_id/widgets/:widget_id', act('ecs:servers:get'), (c) => c.text('guarded'));
    made.get('/vpc', publicRoute('version discovery'), (c) => c.text('public'));
    const list = endpoints(made);
    expect(unguarded(list)).toEqual(['GET /ecs/v2.1/{project_id}/things (0 guards)']);
    const forged = [{ ...list[1]!, guards: [{ kind: 'action' as const, actions: ['ecs:servres:get'] }] }];
    expect(unregistered(forged, ACTIONS)).toEqual(['GET /ecs/v2.1/{project_id}/widgets/{widget_id}: ecs:servres:get']);
    expect(operationDrift(list, ACTIONS)).toContain(
      'ecs:servers:get is used by GET /ecs/v2.1/{project_id}/widgets/{widget_id}, which its table does not list',
    );
    expect(withoutIsolationCase(list, new Set(['server_id']), SHARED)).toEqual([
      'GET /ecs/v2.1/{project_id}/widgets/{widget_id}: no isolation case for widget_id',
    ]);
  });
});

describe('operator actions', () => {
  it("refuse a customer's administrator before the request is read: 403, whatever the body", async () => {
    const customer = await newAccount('customer');
    const token = await tokenFor(customer);
    const project = customer.projects[0]!.id;
    const operatorOnly = routes.filter((e) =>
      e.guards.some((g) => g.kind === 'action' && g.actions.every((a) => ACTIONS[a as keyof typeof ACTIONS].scope === 'operator')),
    );
    expect(operatorOnly.length).toBeGreaterThanOrEqual(8);
    const answered: string[] = [];
    for (const e of operatorOnly) {
      const path = e.path.replace(/\{(\w+)\}/g, (_, p: string) => (p === 'project_id' || p === 'tenant_id' ? project : 'x'));
      const malformed = ['GET', 'HEAD'].includes(e.method)
        ? {}
        : { body: '{"malformed": ', headers: { 'Content-Type': 'application/json' } };
      const res = await call(path, { method: e.method, token, ...malformed });
      if (res.status !== 403) answered.push(`${e.method} ${e.path}: ${res.status}`);
    }
    expect(answered).toEqual([]);
  });
});

interface Owner {
  token: string;
  project: string;
  /** The owner as an S3 client, to see its buckets as they are. */
  obs: ObsUser;
  ids: Record<string, string>;
}

/** One real resource of every kind, in one account: what another account's requests aim at. */
async function owner(): Promise<Owner> {
  const p = await computeProject('owner');
  const { token, project } = p;
  const V = '/vpc/v2.0';
  const post = async (path: string, body: unknown, key: string) => {
    const res = await call(path, { method: 'POST', token, json: body });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await json(res))[key];
  };
  const ext = (await json(await call(`${V}/networks?router:external=true`, { token }))).networks[0].id;
  const subnet = (await json(await call(`${V}/subnets?network_id=${p.network.id}`, { token }))).subnets[0];
  const router = await post(`${V}/routers`, { router: { name: 'r', external_gateway_info: { network_id: ext } } }, 'router');
  await call(`${V}/routers/${router.id}/add_router_interface`, { method: 'PUT', token, json: { subnet_id: subnet.id } });
  const group = await post(`${V}/security-groups`, { security_group: { name: 'g' } }, 'security_group');
  const rule = await post(
    `${V}/security-group-rules`,
    { security_group_rule: { security_group_id: group.id, direction: 'ingress', protocol: 'tcp' } },
    'security_group_rule',
  );
  const port = await post(`${V}/ports`, { port: { network_id: p.network.id } }, 'port');
  const fip = await post(`${V}/floatingips`, { floatingip: { floating_network_id: ext } }, 'floatingip');
  const native = `/vpc/v1/${project}`;
  const vpcA = await post(`${native}/vpcs`, { vpc: { name: 'a', cidr: '10.1.0.0/16' } }, 'vpc');
  const vpcB = await post(`${native}/vpcs`, { vpc: { name: 'b', cidr: '10.2.0.0/16' } }, 'vpc');
  const nativeSubnet = await post(
    `${native}/subnets`,
    { subnet: { name: 's', cidr: '10.1.1.0/24', gateway_ip: '10.1.1.1', vpc_id: vpcA.id } },
    'subnet',
  );
  const publicip = await post(
    `${native}/publicips`,
    { publicip: { type: '5_bgp' }, bandwidth: { name: 'bw', size: 5, share_type: 'PER', charge_mode: 'traffic' } },
    'publicip',
  );
  const nativeGroup = await post(`${native}/security-groups`, { security_group: { name: 'ng' } }, 'security_group');
  const nativeRule = await post(
    `${native}/security-group-rules`,
    { security_group_rule: { security_group_id: nativeGroup.id, direction: 'egress', protocol: 'udp' } },
    'security_group_rule',
  );
  const peering = await post(
    `${V}/vpc/peerings`,
    { peering: { name: 'p', request_vpc_info: { vpc_id: vpcA.id }, accept_vpc_info: { vpc_id: vpcB.id } } },
    'peering',
  );
  const route = await post(
    `${V}/vpc/routes`,
    { route: { type: 'peering', nexthop: peering.id, destination: '10.2.0.0/16', vpc_id: vpcA.id } },
    'route',
  );
  const ike = await post(`${V}/vpn/ikepolicies`, { ikepolicy: { name: 'ike' } }, 'ikepolicy');
  const ipsec = await post(`${V}/vpn/ipsecpolicies`, { ipsecpolicy: { name: 'ipsec' } }, 'ipsecpolicy');
  const service = await post(`${V}/vpn/vpnservices`, { vpnservice: { router_id: router.id, subnet_id: subnet.id } }, 'vpnservice');
  const endpointGroup = await post(
    `${V}/vpn/endpoint-groups`,
    { endpoint_group: { type: 'cidr', endpoints: ['172.16.0.0/24'] } },
    'endpoint_group',
  );
  const connection = await post(
    `${V}/vpn/ipsec-site-connections`,
    {
      ipsec_site_connection: {
        vpnservice_id: service.id,
        ikepolicy_id: ike.id,
        ipsecpolicy_id: ipsec.id,
        peer_address: '203.0.113.9',
        peer_cidrs: ['172.17.0.0/24'],
        psk: 'secret',
      },
    },
    'ipsec_site_connection',
  );
  const key = (await nova(token, project, 'POST', '/os-keypairs', { keypair: { name: 'k1' } })).body.keypair;
  const serverGroup = (await nova(token, project, 'POST', '/os-server-groups', { server_group: { name: 'sg', policies: ['affinity'] } }))
    .body.server_group;
  const server = await activeServer(p, { name: 'vm', metadata: { k: 'v' } });
  const volume = await availableVolume(p, { size: 1, metadata: { k: 'v' } });
  const snapshot = await post(`/evs/v3/${project}/snapshots`, { snapshot: { volume_id: volume.id, name: 'snap' } }, 'snapshot');
  await waitSnapshot(p, snapshot.id, 'available');
  const backup = await post(`/evs/v3/${project}/backups`, { backup: { volume_id: volume.id, name: 'bk' } }, 'backup');
  await waitBackup(p, backup.id, 'available');
  const backupPolicy = await call(`/vbs/v2/${project}/backuppolicy`, {
    method: 'POST',
    token,
    json: {
      backup_policy_name: 'bp',
      scheduled_policy: { start_time: '03:00', frequency: 1, rentention_num: 2, remain_first_backup_of_curMonth: 'N', status: 'OFF' },
    },
  });
  const backupPolicyId = (await json(backupPolicy)).backup_policy_id;
  await call(`/vbs/v2/${project}/backuppolicyresources`, {
    method: 'POST',
    token,
    json: { backup_policy_id: backupPolicyId, resources: [{ resource_id: volume.id, resource_type: 'volume' }] },
  });
  await nova(token, project, 'PUT', `/servers/${server.id}/tags/t1`);
  const actions = (await nova(token, project, 'GET', `/servers/${server.id}/os-instance-actions`)).body.instanceActions;
  const job = await call(`/ecs/v1/${project}/cloudservers/action`, {
    method: 'POST',
    token,
    json: { reboot: { type: 'SOFT', servers: [{ id: server.id }] } },
  });
  // IAM: a user in a group, a custom role and policy, an access key.
  const user = await createUser(p.account, token);
  const userGroup = await post('/iam/v3/groups', { group: { name: 'grp' } }, 'group');
  await call(`/iam/v3/groups/${userGroup.id}/users/${user.id}`, { method: 'PUT', token });
  const role = await post('/iam/v3/roles', { role: { name: 'custom' } }, 'role');
  const policy = await post(
    '/iam/v3.0/OS-ROLE/roles',
    { role: { display_name: 'pol', type: 'AX', policy: { Version: '1.1', Statement: [{ Effect: 'Allow', Action: ['ecs:*:get'] }] } } },
    'role',
  );
  const credential = await post('/iam/v3.0/OS-CREDENTIAL/credentials', { credential: { user_id: user.id } }, 'credential');
  // OBS: a bucket holding an object, and a multipart upload in progress (through the S3 endpoint, with the AK/SK).
  const { AwsClient } = await import('aws4fetch');
  const c = p.account.credential!;
  const obs = {
    account: p.account,
    client: new AwsClient({ accessKeyId: c.access, secretAccessKey: c.secret, service: 's3', region: 'eu-west-0' }),
  };
  const bucket = bucketName('owner');
  await s3(obs, `/${bucket}`, { method: 'PUT' });
  await s3(obs, `/${bucket}/k`, { method: 'PUT', body: 'owned' });
  const upload = xmlText(await (await s3(obs, `/${bucket}/k?uploads`, { method: 'POST' })).text(), 'UploadId')!;
  // IMS: a private image shared with another project of the account.
  const image = await call('/ims/v2/images', { method: 'POST', token, json: { name: 'img', visibility: 'shared', tags: ['t1'] } });
  const imageBody = await json(image);
  const member = p.account.projects[1]!.id;
  await call(`/ims/v2/images/${imageBody.id}/members`, { method: 'POST', token, json: { member } });
  // BSS: a closed month (the operator closes it, as the month-end job would).
  const month = '2025-06';
  await call('/bss/v2/invoices/close', { method: 'POST', token: await operatorToken(), json: { domain_id: p.account.domainId, month } });
  // ELB: a load balancer with a listener, its pool, a member and a monitor (slow, so that nothing changes meanwhile).
  const lb = await activeLb(p);
  const listener = await child(p, lb.id, 'listeners', 'listener', { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 });
  const lbPool = await child(p, lb.id, 'pools', 'pool', { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' });
  const lbMember = await child(p, lb.id, `pools/${lbPool.id}/members`, 'member', { address: '10.0.0.98', protocol_port: 80 });
  const monitor = await child(p, lb.id, 'healthmonitors', 'healthmonitor', {
    pool_id: lbPool.id,
    type: 'HTTP',
    delay: 600,
    timeout: 5,
    max_retries: 3,
  });
  // Cloud Eye: an alarm rule on the server's CPU.
  const alarm = await json(
    await call(`/ces/V1.0/${project}/alarms`, {
      method: 'POST',
      token,
      json: {
        alarm_name: 'cpu',
        metric: { namespace: 'SYS.ECS', metric_name: 'cpu_util', dimensions: [{ name: 'instance_id', value: server.id }] },
        condition: { period: 300, filter: 'average', comparison_operator: '>', value: 80, unit: '%', count: 1 },
      },
    }),
  );
  // RTS: a stack with one resource and an output, settled before the intruder tries it.
  const stack = await rtsStack(token, project);
  const bareMetal = { kind: 'bare_metal', region_id: 'eu-west-0', product: 'physical.s4.medium', is_auto_pay: true };
  const order = await json(await call('/bss/v2/orders', { method: 'POST', token, json: bareMetal }));
  return {
    token,
    project,
    obs,
    ids: {
      user_id: user.id,
      group_id: userGroup.id,
      project_id: project,
      tenant_id: project,
      domain_id: p.account.domainId,
      role_id: role.id,
      policy_id: policy.id,
      access: credential.access,
      'networks/id': p.network.id,
      'subnets/id': subnet.id,
      'ports/id': port.id,
      'routers/id': router.id,
      'security-groups/id': group.id,
      'os-security-groups/id': group.id,
      'security-group-rules/id': rule.id,
      'floatingips/id': fip.id,
      'peerings/id': peering.id,
      'routes/id': route.id,
      'ikepolicies/id': ike.id,
      'ipsecpolicies/id': ipsec.id,
      'vpnservices/id': service.id,
      'endpoint-groups/id': endpointGroup.id,
      'ipsec-site-connections/id': connection.id,
      vpc_id: vpcA.id,
      subnet_id: nativeSubnet.id,
      publicip_id: publicip.id,
      bandwidth_id: publicip.bandwidth_id,
      security_group_id: nativeGroup.id,
      rule_id: nativeRule.id,
      server_id: server.id,
      volume_id: volume.id,
      snapshot_id: snapshot.id,
      backup_id: backup.id,
      backup_policy_id: backupPolicyId,
      image_id: imageBody.id,
      member_id: member,
      bucket,
      upload,
      part: '1',
      'os-keypairs/name': key.name,
      'os-server-groups/id': serverGroup.id,
      request_id: actions[0].request_id,
      month,
      order_id: order.order_id,
      // A subscription's id is its order's: the autorenew routes name it in the path.
      resource_id: order.order_id,
      job_id: (await json(job)).job_id,
      alarm_id: alarm.alarm_id,
      stack_name: stack.name,
      stack_id: stack.id,
      resource_name: 'secret',
      event_id: stack.eventId,
      output_key: 'value',
      'loadbalancers/id': lb.id,
      'listeners/id': listener.id,
      'pools/id': lbPool.id,
      pool_id: lbPool.id,
      'members/id': lbMember.id,
      'healthmonitors/id': monitor.id,
      loadbalancer_id: lb.id,
      protocol_port: '80',
      // Hosts are the operator's: a real one, which a customer's administrator may not even read.
      host_id: hostSeed[0]!.id,
      // Shared kinds, filled so that the request is well formed.
      flavor_id: 's3.small.1',
      alias: 'router',
      'images/id': server.image.id,
      key: 'k',
      tag: 't1',
    },
  };
}

/** The requests another account sends: the owner's resources in the path, its own project where one goes. */
function intrusions(e: Endpoint, ids: Record<string, string>, ownProject: string) {
  const params = new Set(resourceParams(e.path));
  const path = e.path.replace(/\{(\w+)\}/g, (_, p: string) => (params.has(p) ? ids[kindOf(e.path, p)]! : ownProject));
  const reads = ['GET', 'HEAD', 'DELETE'].includes(e.method);
  const templates = BODIES[`${e.method} ${operationPath(e.path)}`] ?? [reads ? undefined : {}];
  const fill = (t: unknown) =>
    t === undefined ? undefined : JSON.parse(JSON.stringify(t).replace(/\{([\w/-]+)\}/g, (_, k: string) => ids[k]!));
  return templates.map((t) => ({ path, body: fill(t) }));
}

/** Everything of the owner's that a refused request could have changed. */
/** A settled RTS stack of the owner's project (a RandomString and its output), with one of its resource's events. */
async function rtsStack(token: string, project: string) {
  const base = `/rts/v1/${project}`;
  const template = {
    heat_template_version: '2016-04-08',
    resources: { secret: { type: 'OS::Heat::RandomString' } },
    outputs: { value: { value: { get_attr: ['secret', 'value'] } } },
  };
  const created = await json(await call(`${base}/stacks`, { method: 'POST', token, json: { stack_name: 'owned', template } }));
  const at = `${base}/stacks/owned/${created.stack.id}`;
  for (let i = 0; i < 100; i++) {
    const shown = await json(await call(at, { token }));
    if (shown.stack.stack_status === 'CREATE_COMPLETE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const events = await json(await call(`${at}/resources/secret/events`, { token }));
  return { name: 'owned', id: created.stack.id as string, eventId: events.events[0].id as string };
}

async function snapshot(o: Owner): Promise<unknown> {
  const paths = [
    `/rts/v1/${o.project}/stacks/owned/${o.ids.stack_id}`,
    `/rts/v1/${o.project}/stacks/owned/${o.ids.stack_id}/events`,
    ...['networks', 'subnets', 'ports', 'routers', 'security-groups', 'security-group-rules', 'floatingips'].map((c) => `/vpc/v2.0/${c}`),
    '/vpc/v2.0/vpc/peerings',
    '/vpc/v2.0/vpc/routes',
    ...['ikepolicies', 'ipsecpolicies', 'vpnservices', 'endpoint-groups', 'ipsec-site-connections'].map((c) => `/vpc/v2.0/vpn/${c}`),
    ...['vpcs', 'subnets', 'publicips', 'bandwidths', 'security-groups', 'security-group-rules'].map((c) => `/vpc/v1/${o.project}/${c}`),
    `/ecs/v2.1/${o.project}/servers/detail`,
    `/ecs/v2.1/${o.project}/servers/${o.ids.server_id}/metadata`,
    `/ecs/v2.1/${o.project}/servers/${o.ids.server_id}/tags`,
    `/ecs/v2.1/${o.project}/os-keypairs`,
    `/ecs/v2.1/${o.project}/os-server-groups`,
    `/ecs/v1/${o.project}/cloudservers/${o.ids.server_id}/autorecovery`,
    `/ecs/v2.1/${o.project}/os-quota-sets/${o.project}`,
    `/vpc/v2.0/quotas/${o.project}`,
    `/evs/v3/${o.project}/volumes/detail`,
    `/evs/v3/${o.project}/snapshots/detail`,
    `/evs/v3/${o.project}/backups/detail`,
    `/vbs/v2/${o.project}/backuppolicy`,
    `/evs/v3/${o.project}/os-quota-sets/${o.project}`,
    `/iam/v3/users/${o.ids.user_id}`,
    `/iam/v3/groups/${o.ids.group_id}/users`,
    `/iam/v3/projects/${o.project}`,
    `/iam/v3/domains/${o.ids.domain_id}`,
    `/iam/v3/roles/${o.ids.role_id}`,
    `/iam/v3.0/OS-ROLE/roles/${o.ids.policy_id}`,
    `/iam/v3.0/OS-CREDENTIAL/credentials/${o.ids.access}`,
    '/iam/v3/role_assignments',
    `/ims/v2/images/${o.ids.image_id}`,
    `/ims/v2/images/${o.ids.image_id}/members`,
    ...['loadbalancers', 'listeners', 'pools', 'healthmonitors', `pools/${o.ids.pool_id}/members`].map((c) => `/elb/v2.0/lbaas/${c}`),
    `/ces/V1.0/${o.project}/alarms`,
    `/ces/V1.0/${o.project}/load-profiles/${o.ids.server_id}`,
  ];
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const res = await call(path, { token: o.token });
    out[path] = { status: res.status, body: await res.text() };
  }
  const b = o.ids.bucket;
  for (const path of [`/${b}?list-type=2`, `/${b}/k`, `/${b}?versioning`, `/${b}?acl`, `/${b}?lifecycle`, `/${b}?uploads`]) {
    const res = await s3(o.obs, path);
    // An S3 error names its request; the rest of it is what must not change.
    out[`OBS ${path}`] = { status: res.status, body: (await res.text()).replace(/<(RequestId|HostId)>[^<]*/g, '<$1>') };
  }
  return out;
}

/** A page of the Console or the Customer Portal (a session, not a token, reaches it). */
const isWebPage = (path: string) => /^\/(console|store\/portal)\//.test(path);

/** A web route's body: the fields of a form (the body table gives them as an object of strings), a file, or JSON. */
function formOf(body: unknown): RequestInit {
  if (!body || typeof body !== 'object') return {};
  if ('json' in body) return { body: JSON.stringify(body.json), headers: { 'Content-Type': 'application/json' } };
  if ('file' in body) {
    const form = new FormData();
    form.set('file', new File([String(body.file)], 'taken.txt'));
    return { body: form };
  }
  return {
    body: new URLSearchParams(body as Record<string, string>),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  };
}

describe('tenant isolation, route by route', () => {
  let o: Owner;
  beforeAll(async () => {
    o = await owner();
  }, 60_000);

  it('has a resource of every kind the routes name (or a reason it is shared)', () => {
    const missing = withoutIsolationCase(routes, new Set(Object.keys(o.ids).filter((k) => !SHARED.has(k))), SHARED);
    expect(missing, missing.join('\n')).toEqual([]);
  });

  it("refuses another account's administrator on every route that names a resource, and nothing changes", async () => {
    const intruder = await newAccount('intruder');
    const token = await tokenFor(intruder);
    // The Console and the Customer Portal are reached with a browser's session: its cookie and CSRF token.
    const web = await signIn(intruder);
    const before = await snapshot(o);
    const answered: string[] = [];
    for (const e of routes) {
      const kinds = resourceParams(e.path).map((p) => kindOf(e.path, p));
      if (!kinds.length || kinds.every((k) => SHARED.has(k))) continue;
      for (const { path, body } of intrusions(e, o.ids, intruder.projects[0]!.id)) {
        const res = isWebPage(path)
          ? await web.fetch(path, { method: e.method, ...formOf(body) })
          : await call(path, { method: e.method, token, json: body });
        if (res.status !== 404 && res.status !== 403 && res.status !== REFUSED_AS[`${e.method} ${e.path}`])
          answered.push(`${e.method} ${e.path} ${JSON.stringify(body) ?? ''}: ${res.status} ${(await res.text()).slice(0, 120)}`);
      }
    }
    expect(answered, answered.join('\n')).toEqual([]);
    expect(await snapshot(o)).toEqual(before);
  }, 120_000);
});
