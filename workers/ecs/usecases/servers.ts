/**
 * The compute use cases on existing servers, behind every door (Nova, native, Console): read one or all, act on
 * them (power, lock, crash dump, console), resize, rebuild and delete them. Each one is one function here; the
 * doors parse, authorise, call it and render its answer.
 */
import { STATUS } from '../../../core/ecs/states.ts';
import type { GuestAction } from '../../../durable/ecs/guest.ts';
import type { JobSpec } from '../../../durable/ecs/jobs.ts';
import type { FlavorSize } from '../../../durable/ecs/server-resize.ts';
import type { PowerAction, ServerPatch } from '../../../durable/ecs/servers.ts';
import type { ElasticIp, Network, Port, SecurityGroup, Server, ServerEvent, VolumeAttachment } from '../../../schema/tenant.ts';
import { catalogueFlavors } from '../../directory/catalogue.ts';
import { bootImage } from '../../ims/usecases/images.ts';
import { actorOf, type Caller, tenantOf } from '../../lib/caller.ts';
import { badRequest } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';
import { refusal, type Words } from './refusals.ts';

/** The rows a server's views need: its ports, their networks and EIPs, its security groups, its volume attachments. */
export interface ServerRows {
  ports: Port[];
  networks: Network[];
  eips: ElasticIp[];
  groups: SecurityGroup[];
  attachments: VolumeAttachment[];
}

/** One server with the rows its views need. */
export interface ServerRecord extends ServerRows {
  server: Server;
}

/** Every server of the project with the rows their views need. */
export interface ProjectServers extends ServerRows {
  servers: Server[];
}

/** The project's servers and network, in one read that writes nothing. */
export async function listServers(caller: Caller): Promise<ProjectServers> {
  return unwrap(await tenantOf(caller).projectServers());
}

/** One server of the caller's project with what its views need, or null (another project's is as missing). */
export async function serverById(caller: Caller, id: string): Promise<ServerRecord | null> {
  return unwrap(await tenantOf(caller).serverRecord(id));
}

/** The named servers (undefined for one that is not the caller's) with the project's ports and EIPs. */
export async function findServers(caller: Caller, ids: string[]) {
  const rows = await tenantOf(caller).list(['servers', 'ports', 'elastic_ips']);
  return { servers: ids.map((id) => rows.servers.find((s) => s.id === id)), ports: rows.ports, eips: rows.elastic_ips };
}

/** The EIPs bound to the NICs of the given servers (found before they are deleted: their ports go with them). */
export function eipsOf(found: { ports: Port[]; eips: ElasticIp[] }, servers: Server[]): ElasticIp[] {
  const nicPorts = new Set([
    ...servers.flatMap((s) => s.nics.flatMap((n) => (n.portId ? [n.portId] : []))),
    ...found.ports.filter((p) => servers.some((s) => s.id === p.deviceId)).map((p) => p.id),
  ]);
  return found.eips.filter((e) => e.portId && nicPorts.has(e.portId));
}

/**
 * Deletes servers, all or none (queued), with the job over them when given (native), their data volumes too when
 * asked (native `delete_volume`); then releases the EIPs named (native `delete_publicip`).
 */
export async function deleteServers(
  caller: Caller,
  ids: string[],
  opts: { job?: JobSpec; releaseEips?: ElasticIp[]; deleteVolumes?: boolean } = {},
) {
  const t = tenantOf(caller);
  unwrap(await t.deleteServers(caller.projectId, ids, actorOf(caller), opts.job, opts.deleteVolumes));
  for (const e of opts.releaseEips ?? []) unwrap(await t.releaseEip(e.id));
}

/** Starts a power action on servers, all or none (queued), with the job over them when given (native). */
export async function powerServers(caller: Caller, ids: string[], action: PowerAction, hard: boolean, job?: JobSpec) {
  unwrap(await tenantOf(caller).serverActions(caller.projectId, ids, action, hard, actorOf(caller), job));
}

/** Renames, describes a server or changes its metadata. */
export async function updateServer(caller: Caller, id: string, patch: ServerPatch) {
  return unwrap(await tenantOf(caller).updateServer(id, patch, caller.admin));
}

/** Pauses, unpauses, suspends or resumes a server (done when it answers). */
export async function guestAction(caller: Caller, id: string, action: GuestAction) {
  unwrap(await tenantOf(caller).guestAction(id, action, actorOf(caller)));
}

/** Adds a security group (by name or id) to a server and its ports, or removes it. */
export async function changeServerGroup(caller: Caller, id: string, group: string, add: boolean) {
  unwrap(await tenantOf(caller).changeServerGroup(id, group, add));
}

/** Locks or unlocks a server. */
export async function lockServer(caller: Caller, id: string, locked: boolean) {
  const t = tenantOf(caller);
  unwrap(await (locked ? t.lockServer(id, actorOf(caller)) : t.unlockServer(id, actorOf(caller))));
}

/** Triggers a crash dump: recorded in the project, then the host injects the NMI. */
export async function crashDump(caller: Caller, id: string) {
  const dumped = unwrap(await tenantOf(caller).crashDump(id, actorOf(caller)));
  const note = `[    0.000000] NMI received (trigger_crash_dump at ${new Date().toISOString()}): kdump saved the crash dump`;
  await caller.env.HOST.getByName(dumped.hostId!).power(dumped.id, dumped.powerState, note);
}

/** The server's console log (its last `lines`), or null while it has no console (still being built). */
export async function consoleOutput(caller: Caller, s: Server, lines?: number): Promise<string | null> {
  if (!s.hostId || s.status === STATUS.BUILD) return null;
  return (await caller.env.HOST.getByName(s.hostId).consoleLog(s.id, lines)) ?? '';
}

/**
 * The actions recorded for a server (create, power, lock, resize, recovery, delete), newest first: of a server of
 * the caller's project, or, when `deleted` is allowed (Nova 2.21), of one it deleted, whose actions outlive it.
 * Null for a server it never had.
 */
export async function serverActionLog(caller: Caller, id: string, opts: { deleted: boolean }): Promise<ServerEvent[] | null> {
  const { servers, server_events } = await tenantOf(caller).list(['servers', 'server_events']);
  const events = server_events.filter((e) => e.serverId === id).sort((a, b) => b.id - a.id);
  const known = servers.some((s) => s.id === id) || (opts.deleted && events.length > 0);
  return known ? events : null;
}

/** Resizes a server to a flavor of its own kind (virtual or bare metal); queued. */
export async function resizeServer(caller: Caller, s: Server, flavorRef: string, words: Words) {
  const flavor = (await catalogueFlavors(caller.env)).find((f) => f.id === flavorRef || f.name === flavorRef);
  if (!flavor) throw refusal(words, { kind: 'flavorNotFound', ref: flavorRef });
  if ((flavor.category === 'baremetal') !== s.flavorId.startsWith('physical.')) throw refusal(words, { kind: 'resizeKind' });
  const to: FlavorSize = { flavorId: flavor.id, vcpus: flavor.vcpus, ramMb: flavor.ramMb, diskGb: Math.max(flavor.diskGb, s.diskGb) };
  unwrap(await tenantOf(caller).resizeServer(caller.projectId, s.id, to, actorOf(caller)));
}

/** Confirms (or reverts) a resize; the side no longer used is freed through the queue. */
export async function finishResize(caller: Caller, id: string, confirm: boolean) {
  unwrap(await tenantOf(caller).finishResize(caller.projectId, id, confirm, actorOf(caller)));
}

/** What a rebuild may change besides the image. */
export interface RebuildInput {
  imageRef: string;
  name?: string;
  description?: string | null;
  metadata?: Record<string, string>;
  adminPass: string;
  accessIpv4?: string;
  accessIpv6?: string;
  diskConfig?: 'AUTO' | 'MANUAL';
}

/** Rebuilds a server from an image of its own kind, keeping its ports and addresses; queued. */
export async function rebuildServer(caller: Caller, s: Server, r: RebuildInput, words: Words) {
  const image = await bootImage(caller.env, caller.projectId, r.imageRef);
  if (!image) throw refusal(words, { kind: 'imageNotFound', ref: r.imageRef });
  if ((image.virtualEnvType === 'Ironic') !== s.flavorId.startsWith('physical.')) throw refusal(words, { kind: 'rebuildKind' });
  // Its boot disk is a volume, which a rebuild does not rewrite: only the same image (Nova before 2.93).
  const volumeBacked = unwrap(await tenantOf(caller).serverAttachments(s.id)).some((a) => a.bootIndex === 0);
  if (volumeBacked && image.id !== s.imageId)
    throw badRequest(`Image ${image.id} is unacceptable: Unable to rebuild with a different image for a volume-backed server.`);
  const { imageRef: _, ...changes } = r;
  const input = { ...changes, imageId: image.id };
  unwrap(await tenantOf(caller).rebuildServer(caller.projectId, s.id, input, actorOf(caller)));
}

/** Turns a server's auto-recovery on or off. */
export async function setAutoRecovery(caller: Caller, id: string, enabled: boolean) {
  unwrap(await tenantOf(caller).setAutoRecovery(id, enabled));
}
