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
import { callerOf } from '../lib/caller.ts';
import { jsonBody } from '../lib/validate.ts';
import { cesRouter } from './errors.ts';
import { setWorkload, workloadOf } from './usecases/workloads.ts';

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

/** A workload as the API and the Console's form take it. */
export const profile = z.discriminatedUnion('shape', [
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

const serverOf = (c: AppContext) => c.req.param('server_id') ?? '';

export const loadProfileRoutes = cesRouter();

loadProfileRoutes.get('/load-profiles/:server_id', act('ces:loadProfiles:get'), async (c) => {
  return c.json(view(await workloadOf(callerOf(c), serverOf(c))));
});

loadProfileRoutes.put('/load-profiles/:server_id', act('ces:loadProfiles:put'), async (c) => {
  const caller = callerOf(c);
  const body = await jsonBody(c, putBody);
  return c.json(view(await setWorkload(caller, serverOf(c), body.load_profile as LoadProfile)));
});

loadProfileRoutes.delete('/load-profiles/:server_id', act('ces:loadProfiles:put'), async (c) => {
  await setWorkload(callerOf(c), serverOf(c), null);
  return c.body(null, 204);
});
