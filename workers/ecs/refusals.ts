/** Nova's words for the compute use cases' refusals (workers/ecs/usecases/refusals.ts): its messages and statuses. */
import { ApiError, badRequest } from '../lib/errors.ts';
import type { Words } from './usecases/refusals.ts';

export const NOVA_WORDS: Words = {
  flavorNotFound: (r) => badRequest(`Flavor ${r.ref} could not be found.`),
  imageNotFound: (r) => badRequest(`Image ${r.ref} could not be found.`),
  kindMismatch: ({ flavor, image }) =>
    badRequest(
      flavor.category === 'baremetal'
        ? `Flavor ${flavor.name} is a bare-metal flavor: it needs a bare-metal (Ironic) image.`
        : `Image ${image.name} is a bare-metal image: it needs a physical.* flavor.`,
    ),
  ramTooSmall: (r) => badRequest(`Flavor's memory is too small for requested image ${r.image.name}.`),
  // Nova has no root volume size nor region to name: these are the native API's.
  rootTooSmall: (r) => badRequest(`The root volume (${r.size} GB) is smaller than image ${r.image.name} needs (${r.image.minDiskGb} GB).`),
  zoneNotFound: (r) => badRequest(`The requested availability zone ${r.zone} is not available.`),
  regionMismatch: (r) => badRequest(`Region ${r.asked} is not the project's region ${r.region}.`),
  quota: (r) =>
    new ApiError(
      403,
      `Quota exceeded for ${r.resource}: Requested ${r.requested}, but already used ${r.used} of ${r.limit} ${r.resource}.`,
    ),
  resizeKind: () => badRequest('A server cannot be resized between virtual and bare-metal flavors.'),
  rebuildKind: () => badRequest('A server is rebuilt from an image of its own kind (virtual or bare metal).'),
};
