/**
 * AK/SK credentials: Flexible Engine's `/v3.0/OS-CREDENTIAL/credentials` (the secret is shown once, at creation)
 * and a read-only Keystone `/v3/credentials` view of them for the `openstack credential` commands. The rules
 * (one's own keys, an administrator's of the account) are in usecases/credentials.ts.
 */
import { z } from 'zod';
import type { Credential } from '../../schema/global.ts';
import { actInside } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { identityOf } from '../lib/caller.ts';
import { jsonBody, query } from '../lib/validate.ts';
import {
  accountOrOwnCredentials,
  createCredential,
  deleteCredential,
  getCredential,
  listCredentials,
  updateCredential,
} from './usecases/credentials.ts';
import { collectionLinks, credentialView } from './views.ts';

export { MAX_CREDENTIALS_PER_USER } from './usecases/credentials.ts';

const createBody = z.object({ credential: z.object({ user_id: z.string().min(1), description: z.string().max(255).optional() }).strict() });
const updateBody = z.object({
  credential: z.object({ status: z.enum(['active', 'inactive']).optional(), description: z.string().max(255).optional() }).strict(),
});
// The AK/SK list filters on user_id; Keystone's on user_id and type (only ec2 credentials exist). Neither is paged,
// and other parameters are ignored.
const listQuery = z.object({ user_id: z.string().optional() });
const keystoneListQuery = z.object({ user_id: z.string().optional(), type: z.string().optional() });

/** What the credential routes' handlers decide: a user's own keys need no action, another user's do. */
const OWN_KEYS = "a user's own keys need no action; another user's of the account need it";

export const credentialRoutes = router();

credentialRoutes.post('/OS-CREDENTIAL/credentials', actInside('iam:credentials:create', OWN_KEYS), async (c) => {
  const { credential: body } = await jsonBody(c, createBody);
  const { credential, secret } = await createCredential(identityOf(c), body.user_id, body.description);
  return c.json({ credential: credentialView(credential, secret) }, 201);
});

credentialRoutes.get('/OS-CREDENTIAL/credentials', actInside('iam:credentials:list', OWN_KEYS), async (c) => {
  const { user_id: userId } = query(c, listQuery);
  const rows = await listCredentials(identityOf(c), userId);
  return c.json({ credentials: rows.map((r) => credentialView(r)) });
});

credentialRoutes.get('/OS-CREDENTIAL/credentials/:access', actInside('iam:credentials:get', OWN_KEYS), async (c) => {
  const row = await getCredential(identityOf(c), c.req.param('access'));
  return c.json({ credential: credentialView(row) });
});

credentialRoutes.put('/OS-CREDENTIAL/credentials/:access', actInside('iam:credentials:update', OWN_KEYS), async (c) => {
  const { credential: body } = await jsonBody(c, updateBody);
  // Flexible Engine's IAM takes every field as optional: a PUT naming none answers the key as it is.
  const updated = await updateCredential(identityOf(c), c.req.param('access'), body);
  return c.json({ credential: credentialView(updated) });
});

credentialRoutes.delete('/OS-CREDENTIAL/credentials/:access', actInside('iam:credentials:delete', OWN_KEYS), async (c) => {
  await deleteCredential(identityOf(c), c.req.param('access'));
  return c.body(null, 204);
});

/** Keystone's shape of an AK/SK: type `ec2`, the blob holding the access key only (never the secret). */
function keystoneCredential(origin: string, r: Credential) {
  return {
    id: r.access,
    type: 'ec2',
    user_id: r.userId,
    project_id: null,
    blob: JSON.stringify({ access: r.access, status: r.status }),
    links: { self: `${origin}/iam/v3/credentials/${r.access}` },
  };
}

export const keystoneCredentialRoutes = router();

keystoneCredentialRoutes.get('/credentials', actInside('iam:credentials:list', OWN_KEYS), async (c) => {
  const q = query(c, keystoneListQuery);
  // Keystone filters what the caller may see: another user's id, or a type other than ec2, lists nothing.
  const rows = (await accountOrOwnCredentials(identityOf(c))).filter(
    (r) => (!q.user_id || r.userId === q.user_id) && (!q.type || q.type === 'ec2'),
  );
  const origin = new URL(c.req.url).origin;
  return c.json({ credentials: rows.map((r) => keystoneCredential(origin, r)), links: collectionLinks(origin, 'credentials') });
});

keystoneCredentialRoutes.get('/credentials/:access', actInside('iam:credentials:get', OWN_KEYS), async (c) => {
  const row = await getCredential(identityOf(c), c.req.param('access'));
  return c.json({ credential: keystoneCredential(new URL(c.req.url).origin, row) });
});
