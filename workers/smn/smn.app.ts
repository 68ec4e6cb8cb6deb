/**
 * SMN under `/smn`: at `/smn/v2/{project_id}` the topics, subscriptions, publishing and templates; outside any project
 * the links SMN's messages carry (no token: the link's secret is the authorisation): a subscription's confirm and
 * unsubscribe links, and the public key that signs every message (`signing_cert_url`).
 */
import { z } from 'zod';
import { keyId, publicKeyPem } from '../../core/smn/signature.ts';
import { parseTopicUrn } from '../../core/smn/urn.ts';
import { publicRoute } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { unwrap } from '../lib/tenant.ts';
import { query } from '../lib/validate.ts';
import { smnRouter } from './errors.ts';
import { publishRoutes } from './publish.api.ts';
import { rid, topicRoutes } from './topics.api.ts';

const v2 = smnRouter();
v2.route('/', topicRoutes);
v2.route('/', publishRoutes);

const linkQuery = z.object({ token: z.string().regex(/^[0-9a-f]{64}$/, 'not a link token'), topic_urn: z.string().max(400) });

/** Follows a subscribe or unsubscribe link into the owner of the topic it names. */
async function follow(c: AppContext, to: 'confirm' | 'cancel') {
  const q = query(c, linkQuery);
  const topic = parseTopicUrn(q.topic_urn);
  if (!topic) throw notFound('The link is not valid: no such topic.', 'SMN.0011');
  const sub = unwrap(await c.env.SMN.getByName(topic.projectId).followLink(q.topic_urn, q.token, to));
  return c.json({ ...rid(c), subscription_urn: sub.urn, status: sub.status });
}

export const smnApp = smnRouter();
smnApp.get('/', publicRoute('version discovery'), (c) =>
  c.json({ versions: [{ id: 'v2', status: 'CURRENT', links: [{ href: `${new URL(c.req.url).origin}/smn/v2/`, rel: 'self' }] }] }),
);
smnApp.get('/subscriptions/confirm', publicRoute("a subscription's confirm link: its token is the secret"), (c) => follow(c, 'confirm'));
smnApp.get('/subscriptions/unsubscribe', publicRoute("a subscription's unsubscribe link: its token is the secret"), (c) =>
  follow(c, 'cancel'),
);
smnApp.get('/certificates/:file', publicRoute('the public key that verifies SMN messages'), async (c) => {
  const key = c.env.SMN_SIGNING_KEY;
  if (!key || c.req.param('file') !== `${keyId(key)}.pem`) throw notFound('No such signing certificate.', 'SMN.0004');
  return c.body(await publicKeyPem(key), 200, { 'Content-Type': 'text/plain; charset=UTF-8', 'Cache-Control': 'public, max-age=86400' });
});
smnApp.route('/v2/:project_id{[0-9a-f-]+}', v2);
