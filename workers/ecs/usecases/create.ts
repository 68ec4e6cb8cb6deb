/**
 * Creating servers, the one use case behind Nova's `POST /servers`, the native `POST /cloudservers` and the
 * Console: the flavor and image (checked against each other), the zone, the dedicated host, the compute quota,
 * then one TenantDO call that records every server (and, natively, makes their NICs and EIPs), all or none.
 */
import type { Created, NativeNetwork } from '../../../durable/ecs/create.ts';
import type { JobSpec } from '../../../durable/ecs/jobs.ts';
import { newReservationId } from '../../../durable/ecs/names.ts';
import type { CreateServerInput } from '../../../durable/ecs/servers.ts';
import zoneSeed from '../../../seed/regions.json';
import { catalogueFlavors, type FlavorRow, type ImageRow } from '../../directory/catalogue.ts';
import { bootImage } from '../../ims/usecases/images.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';
import { type HintsAsked, placementHints } from '../dedicated.ts';
import { refusal, type Words } from './refusals.ts';

/** What every server of the request shares, as the door parsed it. */
export type ServerSpec = Pick<
  CreateServerInput,
  'nics' | 'noNetwork' | 'securityGroups' | 'keyName' | 'userData' | 'adminPass' | 'metadata' | 'autoRecovery' | 'tags'
>;

export interface CreateRequest {
  flavorRef: string;
  imageRef: string;
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
}

export interface CreateResult {
  servers: Created[];
  reservationId: string;
}

/** The zones of a region. */
export const zonesOf = (region: string): string[] => zoneSeed.find((r) => r.id === region)?.zones ?? [];

/** The flavor and image a create names, checked against each other (bare metal goes with bare metal). */
async function flavorAndImage(caller: Caller, req: CreateRequest, words: Words): Promise<{ flavor: FlavorRow; image: ImageRow }> {
  const flavor = (await catalogueFlavors(caller.env)).find((f) => f.id === req.flavorRef || f.name === req.flavorRef);
  if (!flavor) throw refusal(words, { kind: 'flavorNotFound', ref: req.flavorRef });
  const image = await bootImage(caller.env, caller.projectId, req.imageRef);
  if (!image) throw refusal(words, { kind: 'imageNotFound', ref: req.imageRef });
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

/** Creates servers: checks everything the request names, then records them all (or none) and queues their builds. */
export async function createServers(caller: Caller, req: CreateRequest, words: Words): Promise<CreateResult> {
  const { flavor, image } = await flavorAndImage(caller, req, words);
  const zones = zonesOf(caller.region);
  if (req.availabilityZone && !zones.includes(req.availabilityZone))
    throw refusal(words, { kind: 'zoneNotFound', zone: req.availabilityZone, region: caller.region });
  if (req.region && req.region !== caller.region)
    throw refusal(words, { kind: 'regionMismatch', asked: req.region, region: caller.region });
  const placement = await placementHints(caller, req.hints, zones, req.availabilityZone);
  const count = await quotaRoom(caller, flavor, req.count, words);
  const reservationId = newReservationId();
  const inputs: CreateServerInput[] = Array.from({ length: count }, (_, i) => {
    const id = crypto.randomUUID();
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
  const t = tenantOf(caller);
  const servers = req.network
    ? unwrap(await t.createNativeServers(caller.projectId, { ...req.network, region: caller.region }, inputs, caller.requestId, req.job))
    : unwrap(await t.createServers(caller.projectId, inputs, caller.requestId, req.job));
  return { servers, reservationId };
}
