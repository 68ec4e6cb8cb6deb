/**
 * AS v1's scaling configurations (`/scaling_configuration`): create (the flavor and image checked as a server's
 * would be), list, show, delete one, delete several (`POST /scaling_configurations`). They are never changed.
 */
import { z } from 'zod';
import type { InstanceConfig } from '../../schema/as.ts';
import { act } from '../auth/middleware.ts';
import { callerOf } from '../lib/caller.ts';
import { unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { asOf } from './context.ts';
import { asRouter } from './errors.ts';
import { checkConfiguration } from './usecases/configurations.ts';
import { asPage, configurationView, pageFields } from './views.ts';

const name = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a name is 1 to 64 letters, digits, _ or -');
const id = z.string().min(1).max(64);

const disk = z
  .object({
    size: z.number().int().min(1).max(32768),
    volume_type: z.enum(['SATA', 'SAS', 'SSD', 'GPSSD', 'ESSD']),
    disk_type: z.enum(['SYS', 'DATA']),
  })
  .strict();

const instanceConfig = z
  .object({
    flavorRef: id,
    imageRef: id,
    disk: z
      .array(disk)
      .min(1)
      .max(24)
      .refine((d) => d.filter((x) => x.disk_type === 'SYS').length === 1, 'exactly one disk is the SYS disk'),
    key_name: id.optional(),
    adminPass: z.string().min(8).max(26).optional(),
    security_groups: z.array(z.object({ id }).strict()).max(5).optional(),
    public_ip: z
      .object({
        eip: z
          .object({
            ip_type: z.string().min(1).max(32),
            bandwidth: z
              .object({
                share_type: z.enum(['PER', 'WHOLE']),
                size: z.number().int().min(1).max(2000).optional(),
                charging_mode: z.enum(['traffic', 'bandwidth']).optional(),
                id: id.optional(),
              })
              .strict(),
          })
          .strict(),
      })
      .strict()
      .optional(),
    user_data: z.base64().max(65536).optional(),
    tenancy: z.literal('dedicated').optional(),
    dedicated_host_id: id.optional(),
    metadata: z.record(z.string().min(1).max(255), z.string().max(255)).optional(),
  })
  .strict()
  .refine((c) => c.key_name || c.adminPass, 'a configuration logs in with key_name or adminPass');

const createBody = z.object({ scaling_configuration_name: name, instance_config: instanceConfig }).strict();
const listQuery = z.object({
  scaling_configuration_name: z.string().max(64).optional(),
  image_id: id.optional(),
  ...pageFields,
});
const batchBody = z.object({ scaling_configuration_id: z.array(id).min(1).max(50) }).strict();

export const configurationRoutes = asRouter();

configurationRoutes.post('/scaling_configuration', act('as:configs:create'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, createBody);
  const config: InstanceConfig = b.instance_config;
  await checkConfiguration(callerOf(c), config);
  const made = unwrap(await store.createConfiguration(crypto.randomUUID(), b.scaling_configuration_name, config));
  return c.json({ scaling_configuration_id: made.id });
});

configurationRoutes.get('/scaling_configuration', act('as:configs:list'), async (c) => {
  const q = query(c, listQuery);
  const all = unwrap(await asOf(c).configurations({ name: q.scaling_configuration_name, imageId: q.image_id }));
  const { page, ...rest } = asPage(all, q);
  return c.json({ ...rest, scaling_configurations: page.map(configurationView) });
});

configurationRoutes.get('/scaling_configuration/:scaling_configuration_id', act('as:configs:list'), async (c) => {
  const row = unwrap(await asOf(c).configuration(c.req.param('scaling_configuration_id')));
  return c.json({ scaling_configuration: configurationView(row) });
});

configurationRoutes.delete('/scaling_configuration/:scaling_configuration_id', act('as:configs:delete'), async (c) => {
  unwrap(await asOf(c).deleteConfigurations([c.req.param('scaling_configuration_id')]));
  return c.body(null, 204);
});

configurationRoutes.post('/scaling_configurations', act('as:configs:delete'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, batchBody);
  unwrap(await store.deleteConfigurations(b.scaling_configuration_id));
  return c.body(null, 204);
});
