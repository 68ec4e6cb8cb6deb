/**
 * Nova's block_device_mapping_v2 as a create gives it: the schema of an item (2.1 to 2.31: no tag, no
 * volume_type) and what the create use case makes of the list, its volumes and the image it boots.
 */
import { z } from 'zod';
import { badRequest } from '../lib/errors.ts';
import type { BlockDevice } from './usecases/create.ts';

/** Nova's parameter_types.boolean: a JSON boolean or one of its words for one. */
const novaBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false|1|0|yes|no|on|off|t|f|y|n)$/i, 'must be a boolean')
    .transform((s) => /^(true|1|yes|on|t|y)$/i.test(s)),
]);
const integerish = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?[0-9]+$/, 'must be an integer')
    .transform(Number),
]);
/** An item of block_device_mapping_v2, as Nova's schema of 2.1 to 2.31 has it (2.32 adds tag, 2.67 volume_type). */
export const blockDevice = z
  .object({
    source_type: z.enum(['volume', 'image', 'snapshot', 'blank']),
    destination_type: z.enum(['local', 'volume']).optional(),
    uuid: z
      .string()
      .max(255)
      .regex(/^[a-zA-Z0-9._-]*$/)
      .optional(),
    boot_index: z.union([integerish, z.null()]).optional(),
    volume_size: z.union([integerish.pipe(z.number().int().min(1)), z.null()]).optional(),
    delete_on_termination: novaBoolean.optional(),
    device_name: z
      .string()
      .max(255)
      .regex(/^[a-zA-Z0-9._\-r/]*$/)
      .nullish(),
    guest_format: z.string().max(255).nullish(),
    disk_bus: z.string().max(255).nullish(),
    device_type: z.string().max(255).nullish(),
    no_device: z.unknown().optional(),
  })
  .strict();

/**
 * The volumes of a create's block_device_mapping_v2, and the image it boots when one of them is a local image at
 * boot index 0 (the image itself, as imageRef). Ephemeral and swap disks (a blank local one) are not offered: every
 * disk of this cloud is an EVS volume.
 */
export function blockDevicesOf(bdms: z.output<typeof blockDevice>[] = []): { devices: BlockDevice[]; image?: string } {
  let image: string | undefined;
  const devices: BlockDevice[] = [];
  for (const b of bdms) {
    const destination = b.destination_type ?? (b.source_type === 'volume' || b.source_type === 'snapshot' ? 'volume' : 'local');
    const bootIndex = b.boot_index === undefined || b.boot_index === null || b.boot_index < 0 ? null : b.boot_index;
    if (destination === 'local') {
      if (b.source_type === 'image' && bootIndex === 0 && b.uuid) image = b.uuid;
      else throw badRequest('Block Device Mapping is Invalid: ephemeral and swap disks are not offered: every disk is an EVS volume.');
      continue;
    }
    if (b.source_type !== 'blank' && !b.uuid) throw badRequest(`Block Device Mapping is Invalid: a ${b.source_type} needs its uuid.`);
    if ((b.source_type === 'image' || b.source_type === 'blank') && !b.volume_size)
      throw badRequest("Block Device Mapping is Invalid: Images with destination_type 'volume' need to have a non-zero size specified");
    devices.push({
      source: b.source_type,
      uuid: b.uuid,
      bootIndex,
      size: b.volume_size ?? undefined,
      device: b.device_name ? (b.device_name.startsWith('/dev/') ? b.device_name : `/dev/${b.device_name}`) : null,
      deleteOnTermination: b.delete_on_termination ?? false,
    });
  }
  return { devices, image };
}
