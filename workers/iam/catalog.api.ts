/**
 * Keystone's `/v3/regions`, `/v3/services` and `/v3/endpoints`, read from what every token's catalog is made of
 * (the regions seed and the services' catalog entries), so the lists and the catalog never disagree.
 *
 * Who reads them: Keystone lets any identity read regions, and keeps services and endpoints to system readers;
 * here every token already carries the whole catalog (the same services and endpoints), so hiding the lists would
 * hide nothing: any identity reads all three. They change with the cloud's own configuration, not through the
 * API, so there are no write routes (Keystone's answer to an unknown method on them is 405, which Hono's 404 is).
 */
import { z } from 'zod';
import regionSeed from '../../seed/regions.json';
import { authenticated } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { query } from '../lib/validate.ts';
import { catalogEndpoints, catalogServices } from './catalog.ts';
import { collectionLinks } from './views.ts';

const origin = (c: AppContext) => new URL(c.req.url).origin;
const self = (c: AppContext, path: string) => ({ self: `${origin(c)}/iam/v3/${path}` });

function regionView(c: AppContext, r: (typeof regionSeed)[number]) {
  return { id: r.id, description: r.description, parent_region_id: null, links: self(c, `regions/${r.id}`) };
}

// Keystone's filters on each list; others are ignored, as Keystone ignores them.
const regionQuery = z.object({ parent_region_id: z.string().optional() });
const serviceQuery = z.object({ type: z.string().optional(), name: z.string().optional() });
const endpointQuery = z.object({
  interface: z.enum(['public', 'internal', 'admin']).optional(),
  service_id: z.string().optional(),
  region_id: z.string().optional(),
  region: z.string().optional(),
});

export const catalogRoutes = router();

catalogRoutes.get('/regions', authenticated(), (c) => {
  const q = query(c, regionQuery);
  // No region here has a parent: a filter on one lists none.
  const rows = q.parent_region_id === undefined ? regionSeed : [];
  return c.json({ regions: rows.map((r) => regionView(c, r)), links: collectionLinks(origin(c), 'regions') });
});

catalogRoutes.get('/regions/:region_id', authenticated(), (c) => {
  const r = regionSeed.find((x) => x.id === c.req.param('region_id'));
  if (!r) throw notFound(`Could not find region: ${c.req.param('region_id')}.`);
  return c.json({ region: regionView(c, r) });
});

catalogRoutes.get('/services', authenticated(), (c) => {
  const q = query(c, serviceQuery);
  const rows = catalogServices().filter((s) => (!q.type || s.type === q.type) && (!q.name || s.name === q.name));
  return c.json({
    services: rows.map((s) => ({ ...s, links: self(c, `services/${s.id}`) })),
    links: collectionLinks(origin(c), 'services'),
  });
});

catalogRoutes.get('/services/:service_id', authenticated(), (c) => {
  const s = catalogServices().find((x) => x.id === c.req.param('service_id'));
  if (!s) throw notFound(`Could not find service: ${c.req.param('service_id')}.`);
  return c.json({ service: { ...s, links: self(c, `services/${s.id}`) } });
});

catalogRoutes.get('/endpoints', authenticated(), (c) => {
  const q = query(c, endpointQuery);
  const region = q.region_id ?? q.region;
  const rows = catalogEndpoints(origin(c)).filter(
    (e) =>
      (!q.interface || e.interface === q.interface) &&
      (!q.service_id || e.service_id === q.service_id) &&
      (!region || e.region_id === region),
  );
  return c.json({
    endpoints: rows.map((e) => ({ ...e, links: self(c, `endpoints/${e.id}`) })),
    links: collectionLinks(origin(c), 'endpoints'),
  });
});

catalogRoutes.get('/endpoints/:endpoint_id', authenticated(), (c) => {
  const e = catalogEndpoints(origin(c)).find((x) => x.id === c.req.param('endpoint_id'));
  if (!e) throw notFound(`Could not find endpoint: ${c.req.param('endpoint_id')}.`);
  return c.json({ endpoint: { ...e, links: self(c, `endpoints/${e.id}`) } });
});
