/** The native API's words for the compute use cases' refusals: Flexible Engine's messages and `Ecs.xxxx` codes. */
import { badRequest } from '../../lib/errors.ts';
import { NOVA_WORDS } from '../refusals.ts';
import type { Words } from '../usecases/refusals.ts';

export const NATIVE_WORDS: Words = {
  flavorNotFound: (r) => badRequest(`Flavor [${r.ref}] does not exist.`, 'Ecs.0029'),
  imageNotFound: (r) => badRequest(`Image [${r.ref}] does not exist.`, 'Ecs.0031'),
  kindMismatch: ({ flavor, image }) =>
    badRequest(`Image ${image.name} cannot run on flavor ${flavor.name}: bare-metal images go with physical.* flavors only.`, 'Ecs.0007'),
  ramTooSmall: ({ flavor, image }) => badRequest(`Flavor ${flavor.name} has less memory than image ${image.name} needs.`),
  rootTooSmall: (r) => badRequest(`The root volume (${r.size} GB) is smaller than image ${r.image.name} needs (${r.image.minDiskGb} GB).`),
  zoneNotFound: (r) => badRequest(`Availability zone [${r.zone}] does not exist in ${r.region}.`),
  regionMismatch: (r) => badRequest(`regionID [${r.asked}] is not the project's region ${r.region}.`),
  quota: (r) => badRequest(`Insufficient ${r.resource} quota: ${r.requested} more asked, ${r.used} of ${r.limit} in use.`, 'Ecs.0001'),
  // The native API resizes and rebuilds nothing yet: Nova's words until it does.
  resizeKind: NOVA_WORDS.resizeKind,
  rebuildKind: NOVA_WORDS.rebuildKind,
};
