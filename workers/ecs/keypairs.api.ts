/**
 * Nova `/os-keypairs`: import a public key, or have one generated (its private key shown once). 2.2 adds the key
 * type (`ssh`, or an `x509` certificate) and answers 201 to a create and 204 to a delete; 2.10 lets a request name
 * the user whose key pairs it means (the operator any user, others only themselves).
 */
import { z } from 'zod';
import type { Keypair } from '../../schema/tenant.ts';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { forbidden, notFound } from '../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { generateSsh, generateX509, sshFingerprint, x509Fingerprint } from './keygen.ts';
import { atLeast, minorOf } from './microversion.ts';
import { listKeypairs } from './usecases/offer.ts';
import { keypairView } from './views.ts';

const keypair = z.object({ name: z.string().min(1).max(255), public_key: z.string().optional() });
const type = z.enum(['ssh', 'x509']);
/** The create body of 2.1, of 2.2 (with the type) and of 2.10 (with the user). */
const create21 = z.object({ keypair: keypair.strict() }).strict();
const create22 = z.object({ keypair: keypair.extend({ type: type.optional() }).strict() }).strict();
const create210 = z.object({ keypair: keypair.extend({ type: type.optional(), user_id: z.string().min(1).optional() }).strict() }).strict();

/** The user a request means (2.10's `user_id`, else the caller); only the operator may mean another. */
function userOf(c: AppContext, asked: string | undefined, action: string): string {
  const user = (atLeast(c, '2.10') ? asked : undefined) ?? c.var.principal.userId;
  if (user !== c.var.principal.userId && !c.var.principal.operator)
    throw forbidden(`Policy doesn't allow os_compute_api:os-keypairs:${action} to be performed.`);
  return user;
}

/** The key pair of that name, of the user the request means when it names one (2.10). */
async function oneKeypair(c: AppContext, action: string): Promise<Keypair> {
  const asked = c.req.query('user_id');
  const user = userOf(c, asked, action);
  const { keypairs } = await tenant(c).list(['keypairs']);
  const k = keypairs.find((x) => x.name === c.req.param('name') && (!asked || !atLeast(c, '2.10') || x.userId === user));
  if (!k) throw notFound(`Keypair ${c.req.param('name')} not found for user ${user}`);
  return k;
}

// The key pair list is the caller's unless it names a user_id (2.10, admins only); other parameters are ignored.
const listQuery = z.object({ user_id: z.string().optional() });

export const keypairRoutes = router();

keypairRoutes.get('/os-keypairs', act('ecs:keypairs:list'), async (c) => {
  const { user_id: asked } = query(c, listQuery);
  const user = userOf(c, asked, 'index');
  const keypairs = await listKeypairs(callerOf(c));
  const mine = asked && atLeast(c, '2.10') ? keypairs.filter((k) => k.userId === user) : keypairs;
  return c.json({ keypairs: mine.map((k) => ({ keypair: keypairView(k, minorOf(c), 'list') })) });
});

keypairRoutes.post('/os-keypairs', act('ecs:keypairs:create'), async (c) => {
  const schema = atLeast(c, '2.10') ? create210 : atLeast(c, '2.2') ? create22 : create21;
  const { keypair: k } = (await jsonBody(c, schema)) as z.output<typeof create210>;
  projectScope(c);
  const userId = userOf(c, k.user_id, 'create');
  const kind = k.type ?? 'ssh';
  let publicKey = k.public_key;
  let privateKey: string | undefined;
  let fingerprint: string;
  if (publicKey === undefined) {
    ({ publicKey, privateKey, fingerprint } = kind === 'ssh' ? await generateSsh(k.name) : await generateX509(userId));
  } else {
    fingerprint = kind === 'ssh' ? await sshFingerprint(publicKey) : await x509Fingerprint(publicKey);
  }
  const row = unwrap(await tenant(c).createKeypair({ name: k.name, userId, publicKey, fingerprint, type: kind }));
  return c.json({ keypair: keypairView(row, minorOf(c), 'create', privateKey) }, atLeast(c, '2.2') ? 201 : 200);
});

keypairRoutes.get('/os-keypairs/:name', act('ecs:keypairs:get'), async (c) =>
  c.json({ keypair: keypairView(await oneKeypair(c, 'show'), minorOf(c), 'show') }),
);

keypairRoutes.delete('/os-keypairs/:name', act('ecs:keypairs:delete'), async (c) => {
  const k = await oneKeypair(c, 'delete');
  unwrap(await tenant(c).deleteKeypair(k.name));
  return c.body(null, atLeast(c, '2.2') ? 204 : 202);
});
