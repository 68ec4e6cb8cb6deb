/** Nova's server metadata rules, shared by create, rebuild and the metadata routes. */
import { z } from 'zod';
import { forbidden } from '../lib/errors.ts';

/** Nova's `metadata_items` quota (maxServerMeta in /limits). */
export const MAX_SERVER_META = 128;

/** Nova's `parameter_types.metadata`: keys of 1 to 255 of `[a-zA-Z0-9-_:. ]`, string values up to 255. */
export const novaMetadata = z.record(
  z
    .string()
    .min(1)
    .max(255)
    .regex(/^[a-zA-Z0-9_:. -]+$/, 'must be letters, digits, spaces and - _ : .'),
  z.string().max(255),
);

/** Nova answers 403 for metadata over its quota, on create, rebuild and each metadata change. */
export function checkMetadataCount(metadata: Record<string, string> | undefined): void {
  if (metadata && Object.keys(metadata).length > MAX_SERVER_META)
    throw forbidden(`Quota exceeded for metadata_items: Maximum number of metadata items exceeds ${MAX_SERVER_META}.`);
}
