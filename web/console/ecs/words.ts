/**
 * The Console's words for the compute use cases' refusals: each says in plain words what is wrong and names the
 * form field that caused it, so the page shows the message next to that field (the API doors word the same
 * reasons in their own terms: workers/ecs/refusals.ts, workers/ecs/native/refusals.ts).
 */

import type { Words } from '../../../workers/ecs/usecases/refusals.ts';
import { ApiError } from '../../../workers/lib/errors.ts';

/** A refusal about one field of a form (the kit's `form()` shows it next to that field). */
const about = (field: string | undefined, message: string, status = 400): Error => Object.assign(new ApiError(status, message), { field });

const RESOURCES = { instances: 'servers', cores: 'vCPUs', ram: 'MB of memory' } as const;

export const CONSOLE_WORDS: Words = {
  flavorNotFound: (r) => about('flavor', `There is no flavor ${r.ref}: choose one of the list.`),
  imageNotFound: (r) => about('image', `There is no image ${r.ref} that this project can boot: choose one of the list.`),
  kindMismatch: ({ flavor, image }) =>
    about('image', `Image ${image.name} cannot run on flavor ${flavor.name}: bare-metal images go with physical.* flavors only.`),
  ramTooSmall: ({ flavor, image }) =>
    about('flavor', `Flavor ${flavor.name} has ${flavor.ramMb} MB of memory; image ${image.name} needs at least ${image.minRamMb} MB.`),
  rootTooSmall: (r) => about('disk_size', `The system disk must be at least ${r.image.minDiskGb} GB for image ${r.image.name}.`),
  zoneNotFound: (r) => about('zone', `There is no availability zone ${r.zone} in ${r.region}.`),
  regionMismatch: (r) => about(undefined, `This request is for ${r.asked}, but the Console works in ${r.region}.`),
  quota: (r) =>
    about(
      'count',
      `Not enough quota: this needs ${r.requested} ${RESOURCES[r.resource]}, and ${r.used} of the project's ${r.limit} are in use.`,
      403,
    ),
  resizeKind: () => about('flavor', 'A server is resized to a flavor of its own kind: virtual to virtual, bare metal to bare metal.'),
  rebuildKind: () => about('image', 'A server is rebuilt from an image of its own kind: virtual or bare metal.'),
};
