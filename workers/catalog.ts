/**
 * The service catalog published in every token: each service this cloud serves, at its prefix on the one
 * origin, in every region. Later services add a line to SERVICES.
 */
import regions from '../seed/regions.json';
import { stableId } from './lib/ids.ts';

interface ServiceEntry {
  type: string;
  name: string;
  /** Path below the origin; `{project_id}` is filled from the token's scope. */
  path: string;
  /** Global services get one endpoint per region all the same (clients look them up by region). */
  global?: boolean;
}

/** Services that answer today. */
export const SERVICES: ServiceEntry[] = [
  { type: 'identity', name: 'keystone', path: '/iam/v3', global: true },
  { type: 'network', name: 'neutron', path: '/vpc' },
  { type: 'vpc', name: 'vpc', path: '/vpc/v1/{project_id}' },
  { type: 'compute', name: 'nova', path: '/ecs/v2.1/{project_id}' },
  { type: 'image', name: 'glance', path: '/ims' },
];

/** The regions this cloud serves. */
export const REGIONS = regions.map((r) => r.id);

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
  return SERVICES.filter((s) => projectId || !s.path.includes('{project_id}')).map((s) => ({
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
