/**
 * Checks generated from the route table and the registry, so that a route added without its policy or its
 * tenant-isolation case fails the build: every route has one guard; every action it names is registered and
 * lists it among its operations; every operator action refuses a customer before reading the request; and every
 * route that names a resource is tried by another account's administrator, with its own project in the path,
 * against one real resource of each kind: 404 or 403, and nothing of the owner's changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS as S3_OPERATIONS } from '../../core/obs/actions.ts';
import { act, publicRoute } from '../../workers/auth/middleware.ts';
import { app } from '../../workers/index.ts';
import { router } from '../../workers/lib/app.ts';
import { ACTIONS, actionSpec, SERVICES } from '../../workers/services.ts';
import { newAccount, tokenFor } from '../fixtures.ts';
import { call } from '../request.ts';
import { signIn } from '../web/console.ts';
import { type Owner, owner, snapshot } from './owner.ts';
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
  // Auto Scaling: a group's and a policy's changes and actions, a group's tags, its instances' batch actions.
  'PUT /as/autoscaling-api/v1/{project_id}/scaling_group/{scaling_group_id}': [{ description: 'taken' }],
  'POST /as/autoscaling-api/v1/{project_id}/scaling_group/{scaling_group_id}/action': [{ action: 'pause' }],
  'POST /as/autoscaling-api/v1/{project_id}/scaling_group_tag/{scaling_group_id}/tags/action': [
    { action: 'create', tags: [{ key: 'k', value: 'taken' }] },
  ],
  'PUT /as/autoscaling-api/v1/{project_id}/scaling_policy/{scaling_policy_id}': [{ scaling_policy_name: 'taken' }],
  'POST /as/autoscaling-api/v1/{project_id}/scaling_policy/{scaling_policy_id}/action': [{ action: 'pause' }],
  'POST /as/autoscaling-api/v1/{project_id}/scaling_group_instance/{scaling_group_id}/action': [
    { action: 'PROTECT', instances_id: ['{instance_id}'] },
  ],
  // SMN: a topic's rename, a subscription, a publish, a template's change; the Console's forms alike.
  'PUT /smn/v2/{project_id}/notifications/topics/{topic_urn}': [{ display_name: 'taken' }],
  'POST /smn/v2/{project_id}/notifications/topics/{topic_urn}/subscriptions': [{ protocol: 'email', endpoint: 'taken@example.com' }],
  'POST /smn/v2/{project_id}/notifications/topics/{topic_urn}/publish': [{ message: 'taken' }],
  'PUT /smn/v2/{project_id}/notifications/message_template/{message_template_id}': [{ content: 'taken' }],
  'POST /console/smn/topics/{topic_urn}/subscriptions': [{ protocol: 'email', endpoint: 'taken@example.com' }],
  'POST /console/smn/topics/{topic_urn}/publish': [{ message: 'taken' }],
  'POST /console/smn/subscriptions/{subscription_urn}/delete': [{ topic: '{topic_urn}' }],
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
