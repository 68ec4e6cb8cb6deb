/**
 * RTS under `/rts`: its version document, and at `/rts/v1/{project_id}` (the catalog URL heatclient appends to)
 * the stacks with their resources and events, and the template tools.
 */
import { publicRoute } from '../auth/middleware.ts';
import { family, router } from '../lib/app.ts';
import { resourceRoutes } from './resources.api.ts';
import { stackRoutes } from './stacks.api.ts';
import { templateRoutes } from './templates.api.ts';

const v1 = router();
v1.route('/', templateRoutes);
v1.route('/', resourceRoutes);
v1.route('/', stackRoutes);

export const rtsApp = router();
rtsApp.use(family('heat'));
rtsApp.get('/', publicRoute('version discovery'), (c) =>
  c.json({ versions: [{ id: 'v1.0', status: 'CURRENT', links: [{ rel: 'self', href: `${new URL(c.req.url).origin}/rts/v1/` }] }] }, 300),
);
rtsApp.route('/v1/:project_id{[0-9a-f-]+}', v1);
