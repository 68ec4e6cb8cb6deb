/** Native `/v1/{project_id}/bandwidths`: the bandwidths of the project's public IPs, renamed and resized here. */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { projectScope } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { listEips, updateBandwidth } from '../usecases/eips.ts';
import { nativeRouter } from './errors.ts';
import { name } from './fields.ts';
import { nativeList } from './list.ts';
import { bandwidthView } from './views.ts';

const updateBody = z.object({ bandwidth: z.object({ name: name.min(1).optional(), size: z.number().int().optional() }).strict() }).strict();

async function bandwidthItems(c: AppContext) {
  const { projectId } = projectScope(c);
  const { bandwidths, eips } = await listEips(callerOf(c));
  return bandwidths.map((b) => bandwidthView(projectId, b, eips));
}

async function one(c: AppContext, id: string) {
  const found = (await bandwidthItems(c)).find((b) => b.id === id);
  if (!found) throw notFound(`Bandwidth ${id} could not be found.`, 'BandwidthNotFound');
  return found;
}

export const bandwidthRoutes = nativeRouter('bandwidths');

bandwidthRoutes.get('/bandwidths', act('eip:bandwidths:list'), async (c) => c.json({ bandwidths: nativeList(c, await bandwidthItems(c)) }));

bandwidthRoutes.get('/bandwidths/:bandwidth_id', act('eip:bandwidths:get'), async (c) =>
  c.json({ bandwidth: await one(c, c.req.param('bandwidth_id')) }),
);

bandwidthRoutes.put('/bandwidths/:bandwidth_id', act('eip:bandwidths:update'), async (c) => {
  const { bandwidth: b } = await jsonBody(c, updateBody);
  const id = c.req.param('bandwidth_id');
  await updateBandwidth(callerOf(c), id, b);
  return c.json({ bandwidth: await one(c, id) });
});
