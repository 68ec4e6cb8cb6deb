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

const serviceId = (type: string) => stableId(`service:${type}`).replaceAll('-', '');

/** A service's endpoints, one per region and interface; `project` fills `{project_id}` in the path. */
function endpointsOf(origin: string, s: (typeof CATALOG_ENTRIES)[number], project: string) {
  return REGIONS.flatMap((region) =>
    INTERFACES.map((iface) => ({
      id: stableId(`endpoint:${s.type}:${region}:${iface}`).replaceAll('-', ''),
      interface: iface,
      region,
      region_id: region,
      url: origin + s.path.replace('{project_id}', project),
    })),
  );
}

function buildCatalog(origin: string, projectId?: string) {
  return CATALOG_ENTRIES.filter((s) => projectId || !s.path.includes('{project_id}')).map((s) => ({
    id: serviceId(s.type),
    type: s.type,
    name: s.name,
    endpoints: endpointsOf(origin, s, projectId ?? ''),
  }));
}

/** The catalog's services as Keystone's `/v3/services` lists them (the same ids as in every token). */
export function catalogServices() {
  return CATALOG_ENTRIES.map((s) => ({ id: serviceId(s.type), type: s.type, name: s.name, enabled: true, description: '' }));
}

/**
 * The catalog's endpoints as Keystone's `/v3/endpoints` lists them: the same ids as in every token, with the
 * project in the URL as Keystone's template (`$(project_id)s`) instead of the token's project.
 */
export function catalogEndpoints(origin: string) {
  return CATALOG_ENTRIES.flatMap((s) =>
    endpointsOf(origin, s, '$(project_id)s').map((e) => ({ ...e, service_id: serviceId(s.type), enabled: true })),
  );
}
