/**
 * The service catalog published in every token: each service this cloud serves (the registry's catalog
 * entries, workers/services.ts), at its prefix on the one origin, in every region.
 */

import { stableId } from '../../core/ids.ts';
import { REGIONS } from '../../core/regions.ts';
import { CATALOG_ENTRIES } from '../services.ts';

const INTERFACES = ['public', 'internal', 'admin'] as const;

const built = new Map<string, ReturnType<typeof buildCatalog>>();

/** The Keystone catalog for a base URL and an optional project (memoized: it depends on nothing else). */
export function catalog(origin: string, projectId?: string) {
  const key = `${origin}|${projectId ?? ''}`;
  let entry = built.get(key);
  if (!entry) {
    if (built.size > 1000) built.clear();
    entry = buildCatalog(origin, projectId);
    built.set(key, entry);
  }
  return entry;
}

function buildCatalog(origin: string, projectId?: string) {
  return CATALOG_ENTRIES.filter((s) => projectId || !s.path.includes('{project_id}')).map((s) => ({
    id: stableId(`service:${s.type}`).replaceAll('-', ''),
    type: s.type,
    name: s.name,
    endpoints: REGIONS.flatMap((region) =>
      INTERFACES.map((iface) => ({
        id: stableId(`endpoint:${s.type}:${region}:${iface}`).replaceAll('-', ''),
        interface: iface,
        region,
        region_id: region,
        url: origin + s.path.replace('{project_id}', projectId ?? ''),
      })),
    ),
  }));
}
