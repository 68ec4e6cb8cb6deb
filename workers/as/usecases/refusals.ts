/** Auto Scaling's words for the compute use cases' refusals: the native API's messages under AS's codes. */
import { NATIVE_WORDS } from '../../ecs/native/refusals.ts';
import type { Words } from '../../ecs/usecases/refusals.ts';
import { badRequest } from '../../lib/errors.ts';

export const AS_WORDS = Object.fromEntries(
  Object.entries(NATIVE_WORDS).map(([kind, word]) => [kind, (r: never) => badRequest((word as (r: never) => Error)(r).message, 'AS.1040')]),
) as unknown as Words;
