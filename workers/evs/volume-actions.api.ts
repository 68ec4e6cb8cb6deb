/**
 * Cinder's volume actions (`POST /volumes/{id}/action`, the action named by the body's one key): extend, the
 * bootable and read-only flags, and the operator's repairs (reset a status, force a deletion). Attaching is
 * Nova's to ask (os-volume_attachments): os-attach and os-detach as Nova drives them are not taken from customers.
 */
import { z } from 'zod';
import { VOLUME, type VolumeStatus } from '../../core/evs/states.ts';
import { actionNamed, actOn } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { badRequest } from '../lib/errors.ts';
import { tenant, unwrap } from '../lib/tenant.ts';
import { check, jsonBody } from '../lib/validate.ts';
import type { Action } from '../services.ts';
import { atLeast } from './microversion.ts';
import { deleteVolume, extendVolume } from './usecases/volumes.ts';
import { volumeOfPath } from './volume-context.ts';

const ACTIONS = {
  'os-extend': 'evs:volumes:extend',
  'os-set_bootable': 'evs:volumes:setBootable',
  'os-update_readonly_flag': 'evs:volumes:setReadonly',
  'os-reset_status': 'evs:volumes:resetStatus',
  'os-force_delete': 'evs:volumes:forceDelete',
  revert: 'evs:volumes:revert',
} as const satisfies Record<string, Action>;
type Name = keyof typeof ACTIONS;

/** Cinder's boolean: a JSON boolean or one of its strings. */
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False', '1', '0', 'yes', 'no']).transform((s) => ['true', 'True', '1', 'yes'].includes(s)),
]);
const size = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

const SCHEMAS: Record<Name, z.ZodType> = {
  'os-extend': z.object({ new_size: size }).strict(),
  'os-set_bootable': z.object({ bootable: flag }).strict(),
  'os-update_readonly_flag': z.object({ readonly: flag }).strict(),
  'os-reset_status': z
    .object({
      status: z.enum(Object.values(VOLUME) as [VolumeStatus, ...VolumeStatus[]]),
      attach_status: z.string().optional(),
      migration_status: z.string().optional(),
    })
    .strict(),
  'os-force_delete': z.union([z.null(), z.object({}).strict()]),
  revert: z.object({ snapshot_id: z.string().min(1) }).strict(),
};

export const volumeActionRoutes = router();

volumeActionRoutes.post('/volumes/:volume_id/action', actOn(Object.values(ACTIONS), actionNamed(ACTIONS)), async (c) => {
  const raw = await jsonBody(c, z.record(z.string(), z.unknown()));
  const [name, ...extra] = Object.keys(raw);
  if (!name || extra.length) throw badRequest('Exactly one action is expected in the body.');
  if (!Object.hasOwn(ACTIONS, name)) throw badRequest(`Invalid input received: the volume action ${name} is not offered by this cloud.`);
  const body: unknown = check(SCHEMAS[name as Name], raw[name]);
  const v = await volumeOfPath(c);
  const t = tenant(c);
  const caller = callerOf(c);
  switch (name as Name) {
    case 'os-extend':
      // An attached volume is extended from 3.42 on, as Cinder allows.
      await extendVolume(caller, v.id, (body as { new_size: number }).new_size, atLeast(c, 42));
      break;
    case 'os-set_bootable':
      unwrap(await t.setVolumeFlags(v.id, { bootable: (body as { bootable: boolean }).bootable }));
      return c.body(null, 200);
    case 'os-update_readonly_flag':
      unwrap(await t.setVolumeFlags(v.id, { readonly: (body as { readonly: boolean }).readonly }));
      break;
    case 'os-reset_status':
      unwrap(await t.resetVolumeStatus(v.id, (body as { status: VolumeStatus }).status));
      break;
    case 'revert':
      if (!atLeast(c, 40)) throw badRequest('Invalid input received: reverting a volume to a snapshot needs microversion 3.40.');
      unwrap(await t.revertToSnapshot(v.id, (body as { snapshot_id: string }).snapshot_id));
      break;
    case 'os-force_delete':
      await deleteVolume(caller, v.id, { force: true, cascade: true });
      break;
  }
  return c.body(null, 202);
});
