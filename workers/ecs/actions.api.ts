/**
 * Nova `POST /servers/{id}/action`: os-start, os-stop, reboot, rebuild, resize with confirm/revert (queued), lock and
 * unlock, trigger_crash_dump (2.17), the console log.
 */
import { z } from 'zod';
import { actionNamed, actOn } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { randomToken } from '../lib/crypto.ts';
import { badRequest, conflict, notFound } from '../lib/errors.ts';
import { check, jsonBody } from '../lib/validate.ts';
import type { Action } from '../services.ts';
import { createImageAction, createImageBody } from './create-image.ts';
import { checkMetadataCount, novaMetadata } from './metadata.ts';
import { atLeast, type Microversion } from './microversion.ts';
import { accessFields, accessIPv4, accessIPv6, diskConfig } from './nova-fields.ts';
import { NOVA_WORDS } from './refusals.ts';
import { oneServer } from './server-context.ts';
import { description } from './servers.api.ts';
import {
  changeServerGroup,
  consoleOutput,
  crashDump,
  finishResize,
  guestAction,
  lockServer,
  powerServers,
  rebuildServer,
  resizeServer,
  updateServer,
} from './usecases/servers.ts';
import { serverUpdateView } from './views.ts';

const rebuild = z
  .object({
    imageRef: z.string().min(1),
    name: z.string().trim().min(1).max(255).optional(),
    metadata: novaMetadata.optional(),
    adminPass: z.string().optional(),
    preserve_ephemeral: z.boolean().optional(),
    'OS-DCF:diskConfig': diskConfig.optional(),
    accessIPv4: accessIPv4.optional(),
    accessIPv6: accessIPv6.optional(),
  })
  .strict();

/** Nova's security group action body: the group's name (an id is taken too, as Neutron's lookup does). */
const groupBody = z.object({ name: z.string().trim().min(1).max(255) }).strict();

/** Nova's body schema of each action we offer; a client may send null or an object to os-start/os-stop. */
const ACTIONS = {
  'os-start': z.union([z.null(), z.object({}).strict()]),
  'os-stop': z.union([z.null(), z.object({}).strict()]),
  reboot: z.object({ type: z.enum(['SOFT', 'Soft', 'soft', 'HARD', 'Hard', 'hard']) }).strict(),
  'os-getConsoleOutput': z
    .object({ length: z.union([z.number().int().min(-1), z.string().regex(/^-?\d+$/), z.null()]).optional() })
    .strict(),
  resize: z.object({ flavorRef: z.string().min(1), 'OS-DCF:diskConfig': diskConfig.optional() }).strict(),
  rebuild,
  confirmResize: z.null(),
  revertResize: z.null(),
  // Below 2.73 (where lock takes a locked_reason) Nova validates neither body: any value is accepted and ignored.
  lock: z.unknown(),
  unlock: z.unknown(),
  trigger_crash_dump: z.null(),
  createImage: createImageBody,
  pause: z.null(),
  unpause: z.null(),
  suspend: z.null(),
  resume: z.null(),
  addSecurityGroup: groupBody,
  removeSecurityGroup: groupBody,
} as const;
type ActionName = keyof typeof ACTIONS;

/** The body schema of an action in the request's microversion (2.19 describes on rebuild). */
function schemaOf(c: AppContext, name: ActionName) {
  if (name === 'rebuild' && atLeast(c, '2.19')) return rebuild.extend({ description: description.optional() }).strict();
  return ACTIONS[name];
}

/** Actions that came with a microversion: before it, Nova does not know them (404). */
const SINCE: Partial<Record<ActionName, Microversion>> = { trigger_crash_dump: '2.17' };

/** The body names exactly one action; actions of later issues (createImage, shelve, ...) answer a clear 400. */
const actionBody = z.record(z.string(), z.unknown());

export const actionRoutes = router();

/** The policy action of each server action: one per operation, as Nova's policies have them. */
export const SERVER_ACTIONS = {
  'os-start': 'ecs:servers:start',
  'os-stop': 'ecs:servers:stop',
  reboot: 'ecs:servers:reboot',
  'os-getConsoleOutput': 'ecs:servers:getConsoleOutput',
  resize: 'ecs:servers:resize',
  rebuild: 'ecs:servers:rebuild',
  confirmResize: 'ecs:servers:confirmResize',
  revertResize: 'ecs:servers:revertResize',
  lock: 'ecs:servers:lock',
  unlock: 'ecs:servers:unlock',
  trigger_crash_dump: 'ecs:servers:triggerCrashDump',
  createImage: 'ecs:servers:createImage',
  pause: 'ecs:servers:pause',
  unpause: 'ecs:servers:unpause',
  suspend: 'ecs:servers:suspend',
  resume: 'ecs:servers:resume',
  addSecurityGroup: 'ecs:servers:addSecurityGroup',
  removeSecurityGroup: 'ecs:servers:removeSecurityGroup',
} as const satisfies Record<ActionName, Action>;

actionRoutes.post('/servers/:server_id/action', actOn(Object.values(SERVER_ACTIONS), actionNamed(SERVER_ACTIONS)), async (c) => {
  const raw = await jsonBody(c, actionBody);
  const [name, ...extra] = Object.keys(raw);
  if (!name || extra.length) throw badRequest('Exactly one action is expected in the body.');
  if (!Object.hasOwn(ACTIONS, name)) throw badRequest(`The action ${name} is not supported by this cloud yet.`);
  const since = SINCE[name as ActionName];
  if (since && !atLeast(c, since)) throw notFound(`There is no such action: ${name}`);
  // Checked against its own schema: a malformed known action is a 400, never a default.
  const body = check(z.object({ [name]: schemaOf(c, name as ActionName) }).strict(), raw) as Record<string, unknown>;
  const { s } = await oneServer(c);
  const caller = callerOf(c);
  if (name === 'createImage') return createImageAction(c, s, body.createImage as z.output<typeof createImageBody>);
  if (name === 'lock' || name === 'unlock') {
    await lockServer(caller, s.id, name === 'lock');
    return c.body(null, 202);
  }
  if (name === 'pause' || name === 'unpause' || name === 'suspend' || name === 'resume') {
    await guestAction(caller, s.id, name);
    return c.body(null, 202);
  }
  if (name === 'addSecurityGroup' || name === 'removeSecurityGroup') {
    await changeServerGroup(caller, s.id, (body[name] as { name: string }).name, name === 'addSecurityGroup');
    return c.body(null, 202);
  }
  if (name === 'trigger_crash_dump') {
    await crashDump(caller, s.id);
    return c.body(null, 202);
  }
  if (name === 'os-getConsoleOutput') {
    const length = (body[name] as { length?: number | string | null }).length;
    const lines = length === undefined || length === null || Number(length) < 0 ? undefined : Number(length);
    const output = await consoleOutput(caller, s, lines);
    if (output === null) throw conflict(`Instance ${s.id} has no console yet: it is still being built.`);
    return c.json({ output });
  }
  if (name === 'resize') {
    const resize = body.resize as z.output<(typeof ACTIONS)['resize']>;
    await resizeServer(caller, s, resize.flavorRef, NOVA_WORDS);
    // The disk config asked is the server's from now on (a revert keeps it: Nova does not restore it either).
    if (resize['OS-DCF:diskConfig']) await updateServer(caller, s.id, accessFields(resize));
    return c.body(null, 202);
  }
  if (name === 'rebuild') {
    const r = body.rebuild as z.output<typeof rebuild> & { description?: string | null };
    checkMetadataCount(r.metadata);
    const adminPass = r.adminPass ?? randomToken(9);
    const input = { imageRef: r.imageRef, name: r.name, description: r.description, metadata: r.metadata, adminPass, ...accessFields(r) };
    await rebuildServer(caller, s, input, NOVA_WORDS);
    const { ctx: view, s: rebuilt } = await oneServer(c);
    return c.json({ server: { ...serverUpdateView(view, rebuilt), adminPass } }, 202);
  }
  if (name === 'confirmResize' || name === 'revertResize') {
    await finishResize(caller, s.id, name === 'confirmResize');
    return c.body(null, name === 'confirmResize' ? 204 : 202);
  }
  const hard = name === 'reboot' && (body.reboot as { type: string }).type.toUpperCase() === 'HARD';
  await powerServers(caller, [s.id], name as 'os-start' | 'os-stop' | 'reboot', hard);
  return c.body(null, 202);
});
