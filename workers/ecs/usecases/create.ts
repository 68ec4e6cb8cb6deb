/**
 * Creating servers, the one use case behind Nova's `POST /servers`, the native `POST /cloudservers` and the
 * Console: the flavor and image (checked against each other), the zone, the dedicated host, the compute quota,
 * then one TenantDO call that records every server (and, natively, makes their NICs and EIPs), all or none.
 */

import { zonesOf } from '../../../core/regions.ts';
import type { Created, NativeNetwork } from '../../../durable/ecs/create.ts';
import type { JobSpec } from '../../../durable/ecs/jobs.ts';
import { newReservationId } from '../../../durable/ecs/names.ts';
import type { CreateServerInput } from '../../../durable/ecs/servers.ts';
import type { BuildVolume } from '../../../durable/evs/attachments.ts';
import type { VolumeInput } from '../../../durable/evs/volumes.ts';
import { catalogueFlavors, type FlavorRow, type ImageRow } from '../../directory/catalogue.ts';
import { volumeInputs } from '../../evs/usecases/volumes.ts';
import { bootImage } from '../../ims/usecases/images.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { badRequest } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';
import { type HintsAsked, placementHints } from '../dedicated.ts';
import { refusal, type Words } from './refusals.ts';

/** What every server of the request shares, as the door parsed it. */
export type ServerSpec = Pick<
  CreateServerInput,
  | 'nics'
  | 'noNetwork'
  | 'securityGroups'
  | 'keyName'
  | 'userData'
  | 'adminPass'
  | 'metadata'
  | 'autoRecovery'
  | 'tags'
  | 'accessIpv4'
  | 'accessIpv6'
  | 'diskConfig'
>;

/**
 * A block device a create asks for (Nova's block_device_mapping_v2 with a volume destination, native root_volume
 * and data_volumes): a volume made from an image, a snapshot or nothing, or an existing volume (`uuid`).
 */
export interface BlockDevice {
  source: 'image' | 'volume' | 'snapshot' | 'blank';
  uuid?: string;
  /** 0 for the boot disk; null (or negative) for a data disk. */
  bootIndex: number | null;
  /** GB; a volume made from an image defaults to the image's minimum disk, from a snapshot to its size. */
  size?: number;
  volumeType?: string;
  device?: string | null;
  deleteOnTermination: boolean;
}

export interface CreateRequest {
  flavorRef: string;
  /** The image to boot; '' when the boot disk is a block device. */
  imageRef: string;
  /** Volumes the servers are created with, each server its own (an existing volume only for a single server). */
  blockDevices?: BlockDevice[];
  /** The root volume's size asked (native): at least the image's minimum disk. */
  rootDiskGb?: number;
  availabilityZone?: string;
  /** The region the request names (native `regionID`): the project's own. */
  region?: string;
  /** As many as the quota lets in, at least `min` (Nova's min_count), at most `max`. */
  count: { min: number; max: number };
  hints: HintsAsked & { group?: string };
  /** The name (and description) of the i-th of `count` servers, as the door names them. */
  each: (i: number, count: number) => { name: string; description?: string | null };
  server: ServerSpec;
  /** The native network: primary NICs made with their EIPs before the servers, in the same TenantDO operation. */
  network?: Omit<NativeNetwork, 'region'>;
  job?: JobSpec;
  /**
   * The servers' ids, chosen by the caller (Auto Scaling records them before it asks, so that a round delivered
   * twice launches nothing twice); as many as `count.max`, which must equal `count.min`.
   */
  ids?: readonly string[];
}

export interface CreateResult {
  servers: Created[];
  reservationId: string;
}

/** The flavor and image a create names, checked against each other (bare metal goes with bare metal). */
async function flavorAndImage(
  caller: Caller,
  req: CreateRequest,
  imageRef: string,
  words: Words,
): Promise<{ flavor: FlavorRow; image: ImageRow }> {
  const flavor = (await catalogueFlavors(caller.env)).find((f) => f.id === req.flavorRef || f.name === req.flavorRef);
  if (!flavor) throw refusal(words, { kind: 'flavorNotFound', ref: req.flavorRef });
  const image = await bootImage(caller.env, caller.projectId, imageRef);
  if (!image) throw refusal(words, { kind: 'imageNotFound', ref: imageRef });
  if ((flavor.category === 'baremetal') !== (image.virtualEnvType === 'Ironic'))
    throw refusal(words, { kind: 'kindMismatch', flavor, image });
  if (image.minRamMb > flavor.ramMb) throw refusal(words, { kind: 'ramTooSmall', flavor, image });
  if ((req.rootDiskGb ?? image.minDiskGb) < image.minDiskGb) throw refusal(words, { kind: 'rootTooSmall', size: req.rootDiskGb!, image });
  return { flavor, image };
}

/**
 * How many servers the project's compute quota lets in: as many as fit, if at least `min` do (Nova's rule), else
 * a refusal before anything is written.
 */
async function quotaRoom(caller: Caller, flavor: FlavorRow, count: { min: number; max: number }, words: Words): Promise<number> {
  const { limits, usage } = unwrap(await tenantOf(caller).computeQuotas());
  const each = { instances: 1, cores: flavor.vcpus, ram: flavor.ramMb } as const;
  const room = (k: keyof typeof each) => (limits[k] < 0 ? count.max : Math.max(0, Math.floor((limits[k] - usage[k]) / each[k])));
  const short = (Object.keys(each) as (keyof typeof each)[]).find((k) => room(k) < count.min);
  if (short)
    throw refusal(words, { kind: 'quota', resource: short, requested: count.min * each[short], used: usage[short], limit: limits[short] });
  return Math.min(count.max, room('instances'), room('cores'), room('ram'));
}

/** Nova's refusal of a block device mapping (400). */
const invalidBdm = (why: string) => badRequest(`Block Device Mapping is Invalid: ${why}`);

/**
 * The block devices of a create, checked: the boot disk's image (what the server boots, for the flavor checks;
 * '' for a volume with none), and the snapshots a device names.
 */
async function bootImageOf(caller: Caller, req: CreateRequest) {
  const asked = req.blockDevices ?? [];
  const boots = asked.filter((b) => b.bootIndex === 0);
  if (boots.length > 1 || (!req.imageRef && !boots.length))
    throw invalidBdm('Boot sequence for the instance and image/block device mapping combination is not valid.');
  if (req.count.max > 1 && asked.some((b) => b.source === 'volume'))
    throw badRequest('Cannot attach one or more volumes to multiple instances');
  const rows = asked.some((b) => b.source === 'snapshot') ? await tenantOf(caller).list(['snapshots', 'volumes']) : undefined;
  const boot = boots[0];
  if (!boot) return { rows };
  if (boot.source === 'blank') throw invalidBdm('a blank volume cannot be booted from.');
  if (boot.source === 'image') return { rows, image: boot.uuid! };
  if (boot.source === 'volume') {
    const v = boot.uuid ? await tenantOf(caller).volume(boot.uuid) : null;
    if (!v) throw invalidBdm(`failed to get volume ${boot.uuid}.`);
    return { rows, image: v.imageMetadata?.image_id ?? v.source.imageId ?? '' };
  }
  const snap = rows?.snapshots.find((s) => s.id === boot.uuid);
  if (!snap) throw invalidBdm(`failed to get snapshot ${boot.uuid}.`);
  return { rows, image: rows?.volumes.find((v) => v.id === snap.volumeId)?.imageMetadata?.image_id ?? '' };
}

/**
 * Each server's volumes: the inputs of the ones made (from the EVS use case, once per device, then one volume per
 * server in its zone, made for it) and the existing ones it is to have.
 */
async function serverVolumes(caller: Caller, req: CreateRequest, rows: Awaited<ReturnType<typeof bootImageOf>>['rows']) {
  const made = new Map<BlockDevice, VolumeInput>();
  for (const b of req.blockDevices ?? []) {
    if (b.source === 'volume') continue;
    const snap = b.source === 'snapshot' ? rows?.snapshots.find((s) => s.id === b.uuid) : undefined;
    if (b.source === 'snapshot' && !snap) throw invalidBdm(`failed to get snapshot ${b.uuid}.`);
    const [input] = await volumeInputs(caller, {
      name: '',
      description: null,
      size: b.size ?? snap?.size,
      volumeType: b.volumeType,
      metadata: {},
      multiattach: false,
      imageRef: b.source === 'image' ? b.uuid : undefined,
      snapshotId: snap?.id,
    });
    made.set(b, input!);
  }
  return (s: CreateServerInput): BuildVolume[] =>
    (req.blockDevices ?? []).map((b) => {
      const input = made.get(b);
      const common = { bootIndex: b.bootIndex, device: b.device ?? null, deleteOnTermination: b.deleteOnTermination };
      if (!input) return { ...common, volumeId: b.uuid! };
      const id = crypto.randomUUID();
      return { ...common, volumeId: id, create: { ...input, id, zone: s.zone, createdFor: s.id } };
    });
}

/** Creates servers: checks everything the request names, then records them all (or none) and queues their builds. */
export async function createServers(caller: Caller, req: CreateRequest, words: Words): Promise<CreateResult> {
  const boot = await bootImageOf(caller, req);
  const { flavor, image } = await flavorAndImage(caller, req, boot.image ?? req.imageRef, words);
  const volumesFor = await serverVolumes(caller, req, boot.rows);
  const zones = zonesOf(caller.region);
  if (req.availabilityZone && !zones.includes(req.availabilityZone))
    throw refusal(words, { kind: 'zoneNotFound', zone: req.availabilityZone, region: caller.region });
  if (req.region && req.region !== caller.region)
    throw refusal(words, { kind: 'regionMismatch', asked: req.region, region: caller.region });
  const placement = await placementHints(caller, req.hints, zones, req.availabilityZone);
  if (req.ids && (req.ids.length !== req.count.max || req.count.min !== req.count.max))
    throw badRequest('Servers with chosen ids are created as many as there are ids, all or none.');
  const count = await quotaRoom(caller, flavor, req.count, words);
  const reservationId = newReservationId();
  const inputs: CreateServerInput[] = Array.from({ length: count }, (_, i) => {
    const id = req.ids?.[i] ?? crypto.randomUUID();
    return {
      ...req.server,
      ...req.each(i, count),
      id,
      userId: caller.userId,
      flavor: { id: flavor.id, vcpus: flavor.vcpus, ramMb: flavor.ramMb, diskGb: Math.max(flavor.diskGb, image.minDiskGb) },
      imageId: image.id,
      zone: placement.zone ?? zones[Number.parseInt(id.slice(0, 2), 16) % zones.length]!,
      hints: placement.hints,
      serverGroupId: req.hints.group ?? null,
      reservationId,
      launchIndex: i,
    };
  });
  for (const input of inputs) input.volumes = volumesFor(input);
  const t = tenantOf(caller);
  const servers = req.network
    ? unwrap(await t.createNativeServers(caller.projectId, { ...req.network, region: caller.region }, inputs, caller.requestId, req.job))
    : unwrap(await t.createServers(caller.projectId, inputs, caller.requestId, req.job));
  return { servers, reservationId };
}
