/** Nova `/flavors`, `/flavors/detail`, `/flavors/{id}/os-extra_specs` over the catalogue's flavors. */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { catalogueFlavors, type FlavorRow } from '../directory/catalogue.ts';
import { type AppContext, router } from '../lib/app.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { countParam } from '../lib/pagination.ts';
import { param, query } from '../lib/validate.ts';

function links(c: AppContext, id: string) {
  const origin = new URL(c.req.url).origin;
  const project = c.req.param('project_id') ? `/${c.req.param('project_id')}` : '';
  return [
    { rel: 'self', href: `${origin}/ecs/v2.1${project}/flavors/${id}` },
    { rel: 'bookmark', href: `${origin}/ecs${project}/flavors/${id}` },
  ];
}

/** A flavor in Nova 2.1's detailed shape. */
export function flavorView(c: AppContext, f: FlavorRow) {
  return {
    id: f.id,
    name: f.name,
    vcpus: f.vcpus,
    ram: f.ramMb,
    disk: f.diskGb,
    swap: '',
    rxtx_factor: 1.0,
    'OS-FLV-EXT-DATA:ephemeral': 0,
    'OS-FLV-DISABLED:disabled': false,
    'os-flavor-access:is_public': f.isPublic,
    links: links(c, f.id),
  };
}

const SORT_KEYS = { id: 'id', name: 'name', memory_mb: 'ramMb', vcpus: 'vcpus', root_gb: 'diskGb', flavorid: 'id' } as Record<
  string,
  keyof FlavorRow
>;
const size = param(
  (raw) => Number.isFinite(Number(raw)),
  () => 'minRam and minDisk must be numbers.',
).transform(Number);

// Filters on size and visibility, sorted by one key, then marker and limit (as Nova reads it: '' is 0); others are ignored.
const listQuery = z.object({
  minRam: size.optional(),
  minDisk: size.optional(),
  is_public: z.string().optional(),
  sort_key: param(
    (raw) => raw === '' || Boolean(SORT_KEYS[raw]),
    (raw) => `Invalid sort_key ${raw}.`,
  ).optional(),
  sort_dir: z.string().optional(),
  marker: z.string().optional(),
  limit: countParam((raw) => `Invalid limit ${raw}.`),
});

async function listed(c: AppContext) {
  const q = query(c, listQuery);
  let rows = await catalogueFlavors(c.env);
  const { minRam, minDisk } = q;
  if (minRam !== undefined) rows = rows.filter((f) => f.ramMb >= minRam);
  if (minDisk !== undefined) rows = rows.filter((f) => f.diskGb >= minDisk);
  if (q.is_public !== undefined && q.is_public.toLowerCase() !== 'none')
    rows = rows.filter((f) => f.isPublic === ['true', '1', 'yes'].includes(q.is_public!.toLowerCase()));
  if (q.sort_key) {
    const key = SORT_KEYS[q.sort_key]!;
    const dir = q.sort_dir === 'desc' ? -1 : 1;
    rows = [...rows].sort((a, b) => (a[key] < b[key] ? -dir : a[key] > b[key] ? dir : 0));
  }
  if (q.marker) {
    const at = rows.findIndex((f) => f.id === q.marker);
    if (at < 0) throw badRequest(`marker [${q.marker}] not found`);
    rows = rows.slice(at + 1);
  }
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);
  return rows;
}

async function one(c: AppContext) {
  const id = c.req.param('flavor_id');
  const f = (await catalogueFlavors(c.env)).find((x) => x.id === id);
  if (!f) throw notFound(`Flavor ${id} could not be found.`);
  return f;
}

export const flavorRoutes = router();

flavorRoutes.get('/flavors', act('ecs:flavors:list'), async (c) =>
  c.json({ flavors: (await listed(c)).map((f) => ({ id: f.id, name: f.name, links: links(c, f.id) })) }),
);
flavorRoutes.get('/flavors/detail', act('ecs:flavors:list'), async (c) =>
  c.json({ flavors: (await listed(c)).map((f) => flavorView(c, f)) }),
);
flavorRoutes.get('/flavors/:flavor_id', act('ecs:flavors:get'), async (c) => c.json({ flavor: flavorView(c, await one(c)) }));
flavorRoutes.get('/flavors/:flavor_id/os-extra_specs', act('ecs:flavors:get'), async (c) =>
  c.json({ extra_specs: JSON.parse((await one(c)).extraSpecs) }),
);
flavorRoutes.get('/flavors/:flavor_id/os-extra_specs/:key', act('ecs:flavors:get'), async (c) => {
  const specs = JSON.parse((await one(c)).extraSpecs) as Record<string, string>;
  const key = c.req.param('key');
  if (!(key in specs)) throw notFound(`Flavor ${c.req.param('flavor_id')} has no extra specs with key ${key}.`);
  return c.json({ [key]: specs[key] });
});
