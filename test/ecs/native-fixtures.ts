/**
 * Helpers for the tests of the native ECS v1 API: calls in a tenant's own project, a fresh account with a native
 * VPC and subnet, a valid create body, jobs awaited, and a snapshot of what a refused call must leave as it was.
 */
import { expect } from 'vitest';
import { type Account, call, json, newAccount, tokenFor } from '../fixtures.ts';

export interface Tenant {
  account: Account;
  project: string;
  token: string;
  vpcId: string;
  subnetId: string;
  imageId: string;
}

export interface Res {
  status: number;
  body: any;
  headers: Headers;
}

/** A JSON call with the token, answering the status and the parsed body (null when empty). */
export async function req(token: string, method: string, path: string, body?: unknown): Promise<Res> {
  const res = await call(path, { method, token, json: body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A native ECS call in the tenant's own project. */
export const ecs = (t: Tenant, method: string, path: string, body?: unknown) => req(t.token, method, `/ecs/v1/${t.project}${path}`, body);
/** A native VPC call in the tenant's own project. */
export const vpc = (t: Tenant, method: string, path: string, body?: unknown) => req(t.token, method, `/vpc/v1/${t.project}${path}`, body);

/** The body of a call expected to answer `status` (200 unless told). */
export async function ok(res: Promise<Res>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/** A fresh account with a native VPC and subnet (whose id is the network servers attach to), in eu-west-0 or eu-west-1. */
export async function fresh(cidr = '10.0.1.0/24', opts: { region?: 0 | 1 } = {}): Promise<Tenant> {
  const account = await newAccount('ecsnative');
  const project = account.projects[opts.region ?? 0]!.id;
  const token = await tokenFor(account, { scope: { project: { id: project } } });
  const t = { account, project, token, vpcId: '', subnetId: '', imageId: '' };
  t.vpcId = (await ok(vpc(t, 'POST', '/vpcs', { vpc: { name: 'vpc-1', cidr: '10.0.0.0/16' } }))).vpc.id;
  const gateway = cidr.replace(/0\/24$/, '1');
  t.subnetId = (await ok(vpc(t, 'POST', '/subnets', { subnet: { name: 'sub-1', cidr, gateway_ip: gateway, vpc_id: t.vpcId } }))).subnet.id;
  const images = await json(await call('/ims/v2/images?name=OBS%20Ubuntu%2022.04', { token }));
  t.imageId = images.images[0].id;
  return t;
}

/** A valid native create body, with the fields given replacing the defaults. */
export function serverBody(t: Tenant, server: Record<string, unknown> = {}) {
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
export async function settled(t: Tenant, jobId: string, status: 'SUCCESS' | 'FAIL' = 'SUCCESS') {
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
export async function created(t: Tenant, server: Record<string, unknown> = {}) {
  const body = await ok(ecs(t, 'POST', '/cloudservers', serverBody(t, server)));
  return { ids: body.serverIds as string[], job: await settled(t, body.job_id) };
}

/** What a refused call must leave as it was: the servers, public IPs, bandwidths and ports. */
export async function snapshot(t: Tenant) {
  return {
    servers: await ok(ecs(t, 'GET', '/cloudservers/detail')),
    publicips: await ok(vpc(t, 'GET', '/publicips')),
    bandwidths: await ok(vpc(t, 'GET', '/bandwidths')),
    ports: await ok(req(t.token, 'GET', '/vpc/v2.0/ports')),
  };
}

/** A server in the native shape. */
export const server = async (t: Tenant, id: string) => (await ok(ecs(t, 'GET', `/cloudservers/${id}`))).server;
