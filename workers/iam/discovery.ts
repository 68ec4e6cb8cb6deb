/** Keystone version discovery at `/iam` (300, the list) and `/iam/v3` (200, the version). */
import { publicRoute } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';

const UPDATED = '2026-11-01T00:00:00Z';

/** The v3 version object, with links under the given origin. */
export function identityVersion(origin: string) {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: UPDATED,
    links: [{ rel: 'self', href: `${origin}/iam/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export const discoveryRoutes = router();

discoveryRoutes.get('/', publicRoute('version discovery'), (c) =>
  c.json({ versions: { values: [identityVersion(new URL(c.req.url).origin)] } }, 300),
);
discoveryRoutes.get('/v3', publicRoute('version discovery'), (c) => c.json({ version: identityVersion(new URL(c.req.url).origin) }));
