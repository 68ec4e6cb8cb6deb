/**
 * Why a compute use case refuses a request, as data: each door words a reason in its own API's terms (Nova's
 * messages and statuses, the native `Ecs.xxxx` codes), so that the checks are made once and worded per door.
 */
import type { FlavorRow, ImageRow } from '../../directory/catalogue.ts';

export type Reason =
  | { kind: 'flavorNotFound'; ref: string }
  | { kind: 'imageNotFound'; ref: string }
  /** A bare-metal flavor with a virtual image, or the other way round. */
  | { kind: 'kindMismatch'; flavor: FlavorRow; image: ImageRow }
  | { kind: 'ramTooSmall'; flavor: FlavorRow; image: ImageRow }
  | { kind: 'rootTooSmall'; size: number; image: ImageRow }
  | { kind: 'zoneNotFound'; zone: string; region: string }
  | { kind: 'regionMismatch'; asked: string; region: string }
  | { kind: 'quota'; resource: 'instances' | 'cores' | 'ram'; requested: number; used: number; limit: number }
  /** A resize between virtual and bare-metal flavors, or a rebuild from an image of the other kind. */
  | { kind: 'resizeKind' }
  | { kind: 'rebuildKind' };

/** A door's words for every reason: the error it throws. */
export type Words = { [K in Reason['kind']]: (r: Extract<Reason, { kind: K }>) => Error };

/** The error a door throws for a reason. */
export function refusal<K extends Reason['kind']>(words: Words, reason: Extract<Reason, { kind: K }>): Error {
  return (words[reason.kind] as (r: typeof reason) => Error)(reason);
}
