/**
 * The workload a simulated server's guest runs (this cloud's own routes, beside Cloud Eye's, since its metrics come
 * from it): constant, steps, a sine or a replayed series of load levels, with what the guest does at full load. The
 * server's host keeps it, and it moves with the server when it is recovered, resized or rebuilt. Setting it again
 * restarts its offsets; clearing it makes the guest idle.
 */
import { z } from 'zod';
import type { AppliedProfile, LoadProfile } from '../../core/ces/load-profile.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { conflict, notFound } from '../lib/errors.ts';
import { tenant } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { cesRouter } from './errors.ts';

const level = z.number().min(0).max(100);
const seconds = z.number().int().min(1).max(31_536_000);
const rate = z.number().min(0).max(100e9);

const rates = {
  network_out_bytes_rate: rate.optional(),
  network_in_bytes_rate: rate.optional(),
  disk_read_bytes_rate: rate.optional(),
  disk_write_bytes_rate: rate.optional(),
  memory_base: level.optional(),
};

const profile = z.discriminatedUnion('shape', [
  z.object({ shape: z.literal('constant'), level, ...rates }).strict(),
  z
    .object({
      shape: z.literal('steps'),
      steps: z
        .array(z.object({ after_s: z.number().int().min(0).max(31_536_000), level }).strict())
        .min(1)
        .max(1000)
        .refine((s) => s.every((x, i) => i === 0 || x.after_s > s[i - 1]!.after_s), 'steps are in order of after_s'),
      ...rates,
    })
    .strict(),
  z
    .object({ shape: z.literal('sine'), min: level, max: level, period_s: seconds, phase_s: z.number().int().min(0).optional(), ...rates })
    .strict()
    .refine((p) => p.min <= p.max, 'min is at most max'),
  z
    .object({
      shape: z.literal('series'),
      interval_s: seconds,
      levels: z.array(level).min(1).max(10_000),
      repeat: z.boolean().optional(),
      ...rates,
    })
    .strict(),
]);
const putBody = z.object({ load_profile: profile }).strict();

const view = (w: AppliedProfile | null) => ({
  load_profile: w ? { ...w.profile, applied_at: new Date(w.appliedAt).toISOString() } : null,
});

/** The host that runs the server the path names (404 for none in the project, 409 while it has no host). */
async function hostOfPath(c: AppContext) {
  const id = c.req.param('server_id') ?? '';
  const s = await tenant(c).server(id);
  if (!s) throw notFound(`The server ${id} does not exist.`);
  if (!s.hostId) throw conflict(`The server ${id} is not on a host yet (status ${s.status}).`);
  return { serverId: s.id, host: c.env.HOST.getByName(s.hostId) };
}

export const loadProfileRoutes = cesRouter();

loadProfileRoutes.get('/load-profiles/:server_id', act('ces:loadProfiles:get'), async (c) => {
  const { serverId, host } = await hostOfPath(c);
  return c.json(view(await host.workloadOf(serverId)));
});

loadProfileRoutes.put('/load-profiles/:server_id', act('ces:loadProfiles:put'), async (c) => {
  const { serverId, host } = await hostOfPath(c);
  const body = await jsonBody(c, putBody);
  const applied: AppliedProfile = { profile: body.load_profile as LoadProfile, appliedAt: Date.now() };
  if (!(await host.setWorkload(serverId, applied))) throw conflict(`The server ${serverId} is not running on its host.`);
  return c.json(view(applied));
});

loadProfileRoutes.delete('/load-profiles/:server_id', act('ces:loadProfiles:put'), async (c) => {
  const { serverId, host } = await hostOfPath(c);
  await host.setWorkload(serverId, null);
  return c.body(null, 204);
});
