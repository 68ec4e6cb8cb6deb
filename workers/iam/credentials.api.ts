/**
 * AK/SK credentials: Flexible Engine's `/v3.0/OS-CREDENTIAL/credentials` (the secret is shown once, at creation)
 * and a read-only Keystone `/v3/credentials` view of them for the `openstack credential` commands.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { credentials, users } from '../../schema/global.ts';
import { invalidateCredential } from '../auth/aksk.ts';
import { actInside, allowed } from '../auth/middleware.ts';
import { randomAccessKey } from '../bootstrap/bootstrap.ts';
import { type Directory, directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { randomToken, seal } from '../lib/crypto.ts';
import { conflict, forbidden, notFound } from '../lib/errors.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { visibleUser } from './lookups.ts';
import { collectionLinks, credentialView } from './views.ts';

/** Flexible Engine allows two access keys per user. */
export const MAX_CREDENTIALS_PER_USER = 2;

const createBody = z.object({ credential: z.object({ user_id: z.string().min(1), description: z.string().max(255).optional() }).strict() });
const updateBody = z.object({
  credential: z.object({ status: z.enum(['active', 'inactive']).optional(), description: z.string().max(255).optional() }).strict(),
});
// The AK/SK list filters on user_id; Keystone's on user_id and type (only ec2 credentials exist). Neither is paged,
// and other parameters are ignored.
const listQuery = z.object({ user_id: z.string().optional() });
const keystoneListQuery = z.object({ user_id: z.string().optional(), type: z.string().optional() });

/** Resolves the user a credential call is about, allowing self-service and administrators of its account. */
async function subjectUser(c: AppContext, db: Directory, userId: string, action: string) {
  const p = c.var.principal;
  const user = await visibleUser(db, p, userId);
  if (user.id !== p.userId && !(await allowed(c, p, action))) throw forbidden(`Policy doesn't allow ${action} to be performed.`);
  return user;
}

async function visibleCredential(c: AppContext, db: Directory, action: string) {
  const access = c.req.param('access') ?? '';
  const row = await db.select().from(credentials).where(eq(credentials.access, access)).get();
  if (!row) throw notFound(`Could not find credential: ${access}.`);
  try {
    await subjectUser(c, db, row.userId, action);
  } catch (err) {
    // Another account's key answers exactly like a missing one.
    if ((err as { status?: number }).status === 404) throw notFound(`Could not find credential: ${access}.`);
    throw err;
  }
  return row;
}

/** What the credential routes' handlers decide: a user's own keys need no action, another user's do. */
const OWN_KEYS = "a user's own keys need no action; another user's of the account need it";

export const credentialRoutes = router();

credentialRoutes.post('/OS-CREDENTIAL/credentials', actInside('iam:credentials:create', OWN_KEYS), async (c) => {
  const { credential: body } = await jsonBody(c, createBody);
  const db = await directory(c.env);
  const user = await subjectUser(c, db, body.user_id, 'iam:credentials:create');
  const secret = randomToken(30);
  const access = randomAccessKey();
  const column = (col: { name: string }) => sql.identifier(col.name);
  // The count and the insert are one statement, so one write in the directory: parallel creates cannot all see
  // room for themselves, as they did when the count was read first.
  const { rowsAffected } = await db.run(sql`
    INSERT INTO ${credentials} (${column(credentials.access)}, ${column(credentials.userId)}, ${column(credentials.description)}, ${column(credentials.secretSealed)})
    SELECT ${access}, ${user.id}, ${body.description ?? ''}, ${await seal(secret, c.env.PLATFORM_KEY)}
    WHERE (SELECT count(*) FROM ${credentials} WHERE ${credentials.userId} = ${user.id}) < ${MAX_CREDENTIALS_PER_USER}`);
  if (!rowsAffected) throw conflict(`The user already has ${MAX_CREDENTIALS_PER_USER} access keys, the most allowed.`);
  const row = await db.select().from(credentials).where(eq(credentials.access, access)).get();
  return c.json({ credential: credentialView(row!, secret) }, 201);
});

credentialRoutes.get('/OS-CREDENTIAL/credentials', actInside('iam:credentials:list', OWN_KEYS), async (c) => {
  const db = await directory(c.env);
  const p = c.var.principal;
  const { user_id: userId } = query(c, listQuery);
  let rows: (typeof credentials.$inferSelect)[];
  if (userId) {
    const user = await subjectUser(c, db, userId, 'iam:credentials:list');
    rows = await db.select().from(credentials).where(eq(credentials.userId, user.id));
  } else if (await allowed(c, p, 'iam:credentials:list')) {
    const own = db.select({ id: users.id }).from(users).where(eq(users.domainId, p.domainId));
    rows = await db.select().from(credentials).where(inArray(credentials.userId, own));
  } else {
    rows = await db.select().from(credentials).where(eq(credentials.userId, p.userId));
  }
  return c.json({ credentials: rows.map((r) => credentialView(r)) });
});

credentialRoutes.get('/OS-CREDENTIAL/credentials/:access', actInside('iam:credentials:get', OWN_KEYS), async (c) => {
  const row = await visibleCredential(c, await directory(c.env), 'iam:credentials:get');
  return c.json({ credential: credentialView(row) });
});

credentialRoutes.put('/OS-CREDENTIAL/credentials/:access', actInside('iam:credentials:update', OWN_KEYS), async (c) => {
  const { credential: body } = await jsonBody(c, updateBody);
  const db = await directory(c.env);
  const row = await visibleCredential(c, db, 'iam:credentials:update');
  const changes = {
    ...(body.status ? { status: body.status } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
  };
  // Flexible Engine's IAM takes every field as optional: a PUT naming none answers the key as it is.
  if (!Object.keys(changes).length) return c.json({ credential: credentialView(row) });
  const [updated] = await db.update(credentials).set(changes).where(eq(credentials.access, row.access)).returning();
  invalidateCredential(row.access);
  return c.json({ credential: credentialView(updated!) });
});

credentialRoutes.delete('/OS-CREDENTIAL/credentials/:access', actInside('iam:credentials:delete', OWN_KEYS), async (c) => {
  const db = await directory(c.env);
  const row = await visibleCredential(c, db, 'iam:credentials:delete');
  await db.delete(credentials).where(and(eq(credentials.access, row.access)));
  invalidateCredential(row.access);
  return c.body(null, 204);
});

/** Keystone's shape of an AK/SK: type `ec2`, the blob holding the access key only (never the secret). */
function keystoneCredential(origin: string, r: typeof credentials.$inferSelect) {
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
  const db = await directory(c.env);
  const p = c.var.principal;
  const q = query(c, keystoneListQuery);
  const own = db.select({ id: users.id }).from(users).where(eq(users.domainId, p.domainId));
  const mayList = await allowed(c, p, 'iam:credentials:list');
  const rows = await db
    .select()
    .from(credentials)
    .where(
      and(
        mayList ? inArray(credentials.userId, own) : eq(credentials.userId, p.userId),
        q.user_id ? eq(credentials.userId, q.user_id) : undefined,
        q.type && q.type !== 'ec2' ? eq(credentials.access, '') : undefined,
      ),
    );
  const origin = new URL(c.req.url).origin;
  return c.json({ credentials: rows.map((r) => keystoneCredential(origin, r)), links: collectionLinks(origin, 'credentials') });
});

keystoneCredentialRoutes.get('/credentials/:access', actInside('iam:credentials:get', OWN_KEYS), async (c) => {
  const row = await visibleCredential(c, await directory(c.env), 'iam:credentials:get');
  return c.json({ credential: keystoneCredential(new URL(c.req.url).origin, row) });
});
