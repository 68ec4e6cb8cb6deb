/**
 * The owner of the tenant-isolation checks (test/platform/route-table.test.ts): one real resource of every kind in
 * one account, and a snapshot of everything of it that a refused request could have changed.
 */
import hostSeed from '../../seed/hosts.json';
import { activeServer, computeProject } from '../ecs/fixtures.ts';
import { activeLb, child } from '../elb/fixtures.ts';
import { availableVolume } from '../evs/fixtures.ts';
import { createUser, operatorToken } from '../fixtures.ts';
import { bucketName, type ObsUser, s3, xmlText } from '../obs/fixtures.ts';
import { call, json, nova } from '../request.ts';
import { waitBackup, waitSnapshot } from '../vbs/fixtures.ts';

export interface Owner {
  token: string;
  project: string;
  /** The owner as an S3 client, to see its buckets as they are. */
  obs: ObsUser;
  ids: Record<string, string>;
}

/** One real resource of every kind, in one account: what another account's requests aim at. */
export async function owner(): Promise<Owner> {
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
  // Auto Scaling: a configuration, a group holding the server (added by hand), and an alarm policy of the group.
  const asPath = `/as/autoscaling-api/v1/${project}`;
  const asPost = async (path: string, body: unknown) => json(await call(`${asPath}${path}`, { method: 'POST', token, json: body }));
  const asConfig = await asPost('/scaling_configuration', {
    scaling_configuration_name: 'cfg',
    instance_config: {
      flavorRef: 's3.small.1',
      imageRef: server.image.id,
      disk: [{ size: 40, volume_type: 'SATA', disk_type: 'SYS' }],
      adminPass: 'Scaling-pass-1234',
    },
  });
  const asGroup = await asPost('/scaling_group', {
    scaling_group_name: 'grp',
    scaling_configuration_id: asConfig.scaling_configuration_id,
    vpc_id: vpcA.id,
    networks: [{ id: nativeSubnet.id }],
    desire_instance_number: 0,
    max_instance_number: 1,
  });
  await call(`${asPath}/scaling_group_instance/${asGroup.scaling_group_id}/action`, {
    method: 'POST',
    token,
    json: { action: 'ADD', instances_id: [server.id] },
  });
  // The group's driver puts the server in service at its next round; the snapshots must not see it move.
  for (let i = 0; i < 100; i++) {
    const list = await json(await call(`${asPath}/scaling_group_instance/${asGroup.scaling_group_id}/list`, { token }));
    if (list.scaling_group_instances[0]?.life_cycle_state === 'INSERVICE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const asPolicy = await asPost('/scaling_policy', {
    scaling_policy_name: 'out',
    scaling_group_id: asGroup.scaling_group_id,
    scaling_policy_type: 'ALARM',
    alarm_id: alarm.alarm_id,
  });
  // SMN: a topic with an email subscription (nothing leaves the cloud) and a message template.
  const smnBase = `/smn/v2/${project}/notifications`;
  const topicUrn = await post(`${smnBase}/topics`, { name: 'owned' }, 'topic_urn');
  const subscriptionUrn = await post(
    `${smnBase}/topics/${topicUrn}/subscriptions`,
    { protocol: 'email', endpoint: 'owner@example.com' },
    'subscription_urn',
  );
  const templateId = await post(
    `${smnBase}/message_template`,
    { message_template_name: 'owned', protocol: 'default', content: 'hi {who}' },
    'message_template_id',
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
      topic_urn: topicUrn,
      subscription_urn: subscriptionUrn,
      message_template_id: templateId,
      scaling_configuration_id: asConfig.scaling_configuration_id,
      scaling_group_id: asGroup.scaling_group_id,
      scaling_policy_id: asPolicy.scaling_policy_id,
      instance_id: server.id,
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

/** Everything of the owner's that a refused request could have changed. */
export async function snapshot(o: Owner): Promise<unknown> {
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
    `/smn/v2/${o.project}/notifications/topics`,
    `/smn/v2/${o.project}/notifications/subscriptions`,
    `/smn/v2/${o.project}/notifications/message_template/${o.ids.message_template_id}`,
    ...['scaling_configuration', 'scaling_group', `scaling_policy/${o.ids.scaling_group_id}/list`].map(
      (c) => `/as/autoscaling-api/v1/${o.project}/${c}`,
    ),
    `/as/autoscaling-api/v1/${o.project}/scaling_group_instance/${o.ids.scaling_group_id}/list`,
    `/as/autoscaling-api/v1/${o.project}/scaling_group_tag/${o.ids.scaling_group_id}/tags`,
  ];
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const res = await call(path, { token: o.token });
    // SMN names each answer's request in its body; the rest of it is what must not change.
    out[path] = { status: res.status, body: (await res.text()).replace(/"request_id":"req-[^"]*"/g, '"request_id":""') };
  }
  const b = o.ids.bucket;
  for (const path of [`/${b}?list-type=2`, `/${b}/k`, `/${b}?versioning`, `/${b}?acl`, `/${b}?lifecycle`, `/${b}?uploads`]) {
    const res = await s3(o.obs, path);
    // An S3 error names its request; the rest of it is what must not change.
    out[`OBS ${path}`] = { status: res.status, body: (await res.text()).replace(/<(RequestId|HostId)>[^<]*/g, '<$1>') };
  }
  return out;
}
