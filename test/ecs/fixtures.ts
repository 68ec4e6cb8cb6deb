/**
 * Fixtures of the ECS tests. Nova: a project with a network to boot on, servers created and awaited, and what the
 * zone (claims) and the hosts (instances) hold for a server. Native ECS v1: a tenant with a native VPC and subnet,
 * a valid create body, jobs awaited, and a snapshot of what a refused call must leave as it was.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { Env } from '../../core/env.ts';
import { type Account, newAccount, tokenFor } from '../fixtures.ts';
import { native, neutron, nova, type Reply, send } from '../request.ts';
import { networkWithSubnet } from '../vpc/fixtures.ts';

/** The Worker's bindings, typed. */
export const bindings = env as unknown as Env;

export interface ComputeProject {
  account: Account;
  token: string;
  project: string;
  region: string;
  network: { id: string; name: string };
  subnet: { id: string; cidr: string };
}

let seq = 0;
/** A fresh account, scoped to its project in a region (0: eu-west-0, 1: eu-west-1), with one network and subnet. */
export async function computeProject(prefix = 'nova', opts: { region?: 0 | 1; cidr?: string } = {}): Promise<ComputeProject> {
  const account = await newAccount(`${prefix}${seq++}`);
  const p = account.projects[opts.region ?? 0]!;
  const token = await tokenFor(account, { scope: { project: { id: p.id } } });
  const { network, subnet } = await networkWithSubnet(token, opts.cidr ?? '10.0.0.0/24');
  return { account, token, project: p.id, region: p.name, network, subnet };
}

const images = new Map<string, string>();
/** The id of a public image, found by name through Glance. */
export async function imageId(token: string, name = 'OBS Ubuntu 22.04'): Promise<string> {
  let id = images.get(name);
  if (!id) {
    const { body } = await send(token, 'GET', `/ims/v2/images?name=${encodeURIComponent(name)}`);
    id = body.images[0]?.id as string | undefined;
    if (!id) throw new Error(`no image ${name}`);
    images.set(name, id);
  }
  return id;
}

/** Creates a server (202 expected) on the project's network unless told otherwise, and answers the 202 body. */
export async function boot(p: ComputeProject, server: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const res = await nova(p.token, p.project, 'POST', '/servers', {
    server: {
      name: 'vm',
      imageRef: await imageId(p.token),
      flavorRef: 's3.small.1',
      networks: [{ uuid: p.network.id }],
      ...server,
    },
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.server as { id: string; links: unknown[]; security_groups: { name: string }[]; adminPass: string };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a server until `done` holds (10 s at most) and answers it; fails with the last state seen. */
export async function waitFor(p: ComputeProject, id: string, done: (s: any) => boolean, timeoutMs = 10_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  let last: Reply | undefined;
  while (Date.now() < until) {
    last = await nova(p.token, p.project, 'GET', `/servers/${id}`);
    if (last.status === 200 && done(last.body.server)) return last.body.server;
    await sleep(50);
  }
  throw new Error(`server ${id} did not get there in ${timeoutMs} ms: ${last?.status} ${JSON.stringify(last?.body)}`);
}

/** Polls until the server's status is one of `statuses` with no task running. */
export function waitStatus(p: ComputeProject, id: string, ...statuses: string[]): Promise<any> {
  return waitFor(p, id, (s) => statuses.includes(s.status) && s['OS-EXT-STS:task_state'] === null);
}

/** Polls until the server answers 404. */
export async function waitGone(p: ComputeProject, id: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const res = await nova(p.token, p.project, 'GET', `/servers/${id}`);
    if (res.status === 404) return;
    await sleep(50);
  }
  throw new Error(`server ${id} still exists after ${timeoutMs} ms`);
}

/** Creates a server and waits until it is ACTIVE. */
export async function activeServer(p: ComputeProject, server: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const { id } = await boot(p, server, extra);
  return waitStatus(p, id, 'ACTIVE');
}

/** The Neutron ports whose device is the server. */
export async function portsOf(p: ComputeProject, serverId: string): Promise<any[]> {
  const res = await neutron(p.token, 'GET', `/ports?device_id=${serverId}`);
  expect(res.status).toBe(200);
  return res.body.ports;
}

/**
 * Holds a Durable Object for `ms` at most, or until `release()`: it takes no call meanwhile. Resolves once the object
 * has stopped answering `probe`, with a promise of the hold's end.
 */
async function holdObject(
  stub: DurableObjectStub,
  probe: () => Promise<unknown>,
  ms: number,
): Promise<{ released: Promise<unknown>; release: () => void }> {
  let release = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const released = runInDurableObject(stub, (_, state) => state.blockConcurrencyWhile(() => Promise.race([gate, sleep(ms)])));
  for (let i = 0; i < 40; i++) {
    const answered = await Promise.race([probe().then(() => true), sleep(25).then(() => false)]);
    if (!answered) return { released, release };
  }
  throw new Error('the object could not be held');
}

/** Holds a zone's placement for `ms`: builds there stay in scheduling meanwhile. */
export function holdZone(zone: string, ms: number) {
  const stub = bindings.ZONE.getByName(zone);
  return holdObject(stub, () => stub.claimsOn('none'), ms);
}

/** Holds a host for `ms`: power actions on its instances stay in their task meanwhile. */
export function holdHost(hostId: string, ms: number) {
  const stub = bindings.HOST.getByName(hostId);
  return holdObject(stub, () => stub.consoleLog('none'), ms);
}

/** The hosts of a zone with what is claimed on them. */
export function zoneHosts(zone: string) {
  return bindings.ZONE.getByName(zone).hosts(zone);
}

/** The zone's claims for a server, over all of the zone's hosts. */
export async function claimsOf(zone: string, serverId: string) {
  const zoneDo = bindings.ZONE.getByName(zone);
  const hosts = await zoneDo.hosts(zone);
  const all = await Promise.all(hosts.map((h) => zoneDo.claimsOn(h.id)));
  return all.flat().filter((c) => c.serverId === serverId);
}

/** The hosts of a zone that run an instance of the server. */
export async function instancesOf(zone: string, serverId: string): Promise<string[]> {
  const hosts = await zoneHosts(zone);
  const logs = await Promise.all(
    hosts.map(async (h) => ((await bindings.HOST.getByName(h.id).consoleLog(serverId)) === null ? [] : [h.id])),
  );
  return logs.flat();
}

/** A tenant of the native API: its account, a project-scoped token, a native VPC and subnet, the image to boot. */
export interface NativeTenant {
  account: Account;
  project: string;
  token: string;
  vpcId: string;
  subnetId: string;
  imageId: string;
}

/** A native ECS call in the tenant's own project. */
export const ecs = (t: NativeTenant, method: string, path: string, body?: unknown) => native('ecs', t, method, path, body);
/** A native VPC call in the tenant's own project. */
export const vpc = (t: NativeTenant, method: string, path: string, body?: unknown) => native('vpc', t, method, path, body);

/** The body of a call expected to answer `status` (200 unless told). */
export async function ok(res: Promise<Reply>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/** A fresh account with a native VPC and subnet (whose id is the network servers attach to), in eu-west-0 or eu-west-1. */
export async function nativeTenant(cidr = '10.0.1.0/24', opts: { region?: 0 | 1 } = {}): Promise<NativeTenant> {
  const account = await newAccount('ecsnative');
  const project = account.projects[opts.region ?? 0]!.id;
  const token = await tokenFor(account, { scope: { project: { id: project } } });
  const t = { account, project, token, vpcId: '', subnetId: '', imageId: '' };
  t.vpcId = (await ok(vpc(t, 'POST', '/vpcs', { vpc: { name: 'vpc-1', cidr: '10.0.0.0/16' } }))).vpc.id;
  const gateway = cidr.replace(/0\/24$/, '1');
  t.subnetId = (await ok(vpc(t, 'POST', '/subnets', { subnet: { name: 'sub-1', cidr, gateway_ip: gateway, vpc_id: t.vpcId } }))).subnet.id;
  t.imageId = (await send(token, 'GET', '/ims/v2/images?name=OBS%20Ubuntu%2022.04')).body.images[0].id;
  return t;
}

/** A valid native create body, with the fields given replacing the defaults. */
export function serverBody(t: NativeTenant, server: Record<string, unknown> = {}) {
  return {
    server: {
      imageRef: t.imageId,
      flavorRef: 's3.small.1',
      name: 'web',
      vpcid: t.vpcId,
      nics: [{ subnet_id: t.subnetId }],
      root_volume: { volumetype: 'SATA', size: 40 },
      ...server,
    },
  };
}

/** Polls a job until it is no longer RUNNING (~10 s at most) and expects `status`. */
export async function settled(t: NativeTenant, jobId: string, status: 'SUCCESS' | 'FAIL' = 'SUCCESS') {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const job = await ok(ecs(t, 'GET', `/jobs/${jobId}`));
    if (job.status !== 'RUNNING' && job.status !== 'INIT') {
      expect(job.status, JSON.stringify(job)).toBe(status);
      return job;
    }
    if (Date.now() > deadline) throw new Error(`job ${jobId} is still ${job.status}: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Creates servers, waits for the job to succeed, and answers the server ids and the job. */
export async function created(t: NativeTenant, server: Record<string, unknown> = {}) {
  const body = await ok(ecs(t, 'POST', '/cloudservers', serverBody(t, server)));
  return { ids: body.serverIds as string[], job: await settled(t, body.job_id) };
}

/** What a refused call must leave as it was: the servers, public IPs, bandwidths and ports. */
export async function nativeSnapshot(t: NativeTenant) {
  return {
    servers: await ok(ecs(t, 'GET', '/cloudservers/detail')),
    publicips: await ok(vpc(t, 'GET', '/publicips')),
    bandwidths: await ok(vpc(t, 'GET', '/bandwidths')),
    ports: await ok(send(t.token, 'GET', '/vpc/v2.0/ports')),
  };
}

/** A server in the native shape. */
export const nativeServer = async (t: NativeTenant, id: string) => (await ok(ecs(t, 'GET', `/cloudservers/${id}`))).server;

/** The keys of a server body at microversion 2.1 (OpenStack's reference suite rejects any other). */
export const SERVER_KEYS_2_1 = [
  'OS-DCF:diskConfig',
  'OS-EXT-AZ:availability_zone',
  'OS-EXT-STS:power_state',
  'OS-EXT-STS:task_state',
  'OS-EXT-STS:vm_state',
  'OS-SRV-USG:launched_at',
  'OS-SRV-USG:terminated_at',
  'accessIPv4',
  'accessIPv6',
  'addresses',
  'config_drive',
  'created',
  'flavor',
  'hostId',
  'id',
  'image',
  'key_name',
  'links',
  'metadata',
  'name',
  'os-extended-volumes:volumes_attached',
  'progress',
  'security_groups',
  'status',
  'tenant_id',
  'updated',
  'user_id',
];

/** The keys of an update's (and, with adminPass, a rebuild's) server body at 2.1: Nova's short form before 2.75. */
export const SERVER_UPDATE_KEYS_2_1 = [
  'OS-DCF:diskConfig',
  'accessIPv4',
  'accessIPv6',
  'addresses',
  'created',
  'flavor',
  'hostId',
  'id',
  'image',
  'links',
  'metadata',
  'name',
  'progress',
  'status',
  'tenant_id',
  'updated',
  'user_id',
];
