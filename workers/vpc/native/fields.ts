/** Body fields several native resources share, validated as Flexible Engine validates them. */
import { z } from 'zod';

/** A resource name: up to 64 letters, digits, `_`, `-` and `.`. */
export const name = z
  .string()
  .max(64)
  .regex(/^[\p{L}\p{N}_.-]*$/u, 'only letters, digits, underscores, hyphens and periods are allowed');

/** A description: up to 255 characters, no angle brackets. */
export const description = z
  .string()
  .max(255)
  .regex(/^[^<>]*$/, 'angle brackets (< and >) are not allowed');

/** The enterprise project: Flexible Engine has only the default one. */
export const enterpriseProject = z.literal('0').optional();
