/**
 * Cloud Eye under `/ces`: its version documents, and at `/ces/V1.0/{project_id}` (the capital V is Cloud Eye's) the
 * metrics, their data and custom metrics, the alarm rules over them, and the simulated guests' workloads the
 * metrics come from.
 */
import { publicRoute } from '../auth/middleware.ts';
import { family, router } from '../lib/app.ts';
import { alarmRoutes } from './alarms.api.ts';
import { loadProfileRoutes } from './load-profiles.api.ts';
import { metricRoutes } from './metrics.api.ts';

const v1 = router();
v1.route('/', metricRoutes);
v1.route('/', alarmRoutes);
v1.route('/', loadProfileRoutes);

const version = (origin: string) => ({
  id: 'V1.0',
  status: 'CURRENT',
  links: [{ href: `${origin}/ces/V1.0/`, rel: 'self' }],
  min_version: '',
  version: '',
  updated: '2018-09-30T00:00:00Z',
});

export const cesApp = router();
cesApp.use(family('ces'));
cesApp.get('/', publicRoute('version discovery'), (c) => c.json({ versions: [version(new URL(c.req.url).origin)] }));
cesApp.get('/V1.0', publicRoute('version discovery'), (c) => c.json({ version: version(new URL(c.req.url).origin) }));
cesApp.route('/V1.0/:project_id{[0-9a-f-]+}', v1);
