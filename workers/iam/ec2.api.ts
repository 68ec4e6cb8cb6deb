/**
 * Keystone's EC2 credentials, `/v3/users/{user_id}/credentials/OS-EC2`: create (for a project of the account),
 * list, show and delete. They are this cloud's access keys (the same store, the same two-per-user limit), so an
 * EC2 credential signs OBS's S3 requests as any AK/SK does; as in Keystone its secret is shown on every read.
 * A user's own need no action; another user's of the account need the `iam:credentials:*` action.
 */
import { z } from 'zod';
import type { Credential } from '../../schema/global.ts';
import { actInside } from '../auth/middleware.ts';
import { directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { identityOf } from '../lib/caller.ts';
import { notFound } from '../lib/errors.ts';
import { jsonBody } from '../lib/validate.ts';
import { visibleProject } from './lookups.ts';
import { createCredential, deleteCredential, ec2Credentials } from './usecases/credentials.ts';
import { collectionLinks } from './views.ts';

const OWN_KEYS = "a user's own EC2 credentials need no action; another user's of the account need it";
const createBody = z.object({ tenant_id: z.string().min(1).max(64) }).strict();

function ec2View(c: AppContext, row: Credential, secret: string) {
  const path = `users/${row.userId}/credentials/OS-EC2/${row.access}`;
  return {
    user_id: row.userId,
    tenant_id: row.projectId,
    access: row.access,
    secret,
    trust_id: null,
    links: { self: `${new URL(c.req.url).origin}/iam/v3/${path}` },
  };
}

/** One EC2 credential of the user in the path, or Keystone's 404. */
async function oneEc2(c: AppContext) {
  const access = c.req.param('access') ?? '';
  const found = (await ec2Credentials(identityOf(c), c.req.param('user_id') ?? '', 'get')).find((x) => x.row.access === access);
  if (!found) throw notFound(`Could not find credential: ${access}.`);
  return found;
}

export const ec2Routes = router();

ec2Routes.post('/users/:user_id/credentials/OS-EC2', actInside('iam:credentials:create', OWN_KEYS), async (c) => {
  const { tenant_id } = await jsonBody(c, createBody);
  // A project of an account the caller sees (another account's answers as a missing one, as Keystone's 404).
  const project = await visibleProject(await directory(c.env), c.var.principal, tenant_id);
  const { credential, secret } = await createCredential(identityOf(c), c.req.param('user_id'), 'EC2 credential', project.id);
  return c.json({ credential: ec2View(c, credential, secret) }, 201);
});

ec2Routes.get('/users/:user_id/credentials/OS-EC2', actInside('iam:credentials:list', OWN_KEYS), async (c) => {
  const rows = await ec2Credentials(identityOf(c), c.req.param('user_id'), 'list');
  const path = `users/${c.req.param('user_id')}/credentials/OS-EC2`;
  return c.json({ credentials: rows.map((r) => ec2View(c, r.row, r.secret)), links: collectionLinks(new URL(c.req.url).origin, path) });
});

ec2Routes.get('/users/:user_id/credentials/OS-EC2/:access', actInside('iam:credentials:get', OWN_KEYS), async (c) => {
  const { row, secret } = await oneEc2(c);
  return c.json({ credential: ec2View(c, row, secret) });
});

ec2Routes.delete('/users/:user_id/credentials/OS-EC2/:access', actInside('iam:credentials:delete', OWN_KEYS), async (c) => {
  const { row } = await oneEc2(c);
  await deleteCredential(identityOf(c), row.access);
  return c.body(null, 204);
});
