/**
 * AK/SK credentials (access key and secret key). A user manages its own keys without any action; an
 * administrator of the account manages another user's with the `iam:credentials:*` action. The secret exists in
 * clear only in the answer to its creation: it is stored sealed and never shown again, except for a Keystone EC2
 * credential (OS-EC2), whose secret Keystone shows on every read (ec2Credentials).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Credential, credentials, type User, users } from '../../../schema/global.ts';
import { invalidateCredential } from '../../auth/aksk.ts';
import { allows } from '../../auth/middleware.ts';
import { randomAccessKey } from '../../bootstrap/bootstrap.ts';
import { type Directory, directory } from '../../directory/client.ts';
import type { IdentityCaller } from '../../lib/caller.ts';
import { randomToken, seal, unseal } from '../../lib/crypto.ts';
import { ApiError, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { visibleUser } from '../lookups.ts';

/** Flexible Engine allows two access keys per user. */
export const MAX_CREDENTIALS_PER_USER = 2;

/** The verbs of the credential actions, each needed only for another user's keys. */
export type CredentialVerb = 'create' | 'list' | 'get' | 'update' | 'delete';

/** The user a credential call is about: the caller itself, or one of its account when the action allows it. */
async function subjectUser(caller: IdentityCaller, db: Directory, userId: string, verb: CredentialVerb): Promise<User> {
  const p = caller.principal;
  const user = await visibleUser(db, p, userId);
  const action = `iam:credentials:${verb}`;
  if (user.id !== p.userId && !(await allows(caller.env, p, action))) throw forbidden(`Policy doesn't allow ${action} to be performed.`);
  return user;
}

/** A credential the caller may act on with that verb; another account's answers exactly like a missing one. */
export async function getCredential(caller: IdentityCaller, access: string, verb: CredentialVerb = 'get'): Promise<Credential> {
  const db = await directory(caller.env);
  const row = await db.select().from(credentials).where(eq(credentials.access, access)).get();
  if (!row) throw notFound(`Could not find credential: ${access}.`);
  try {
    await subjectUser(caller, db, row.userId, verb);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) throw notFound(`Could not find credential: ${access}.`);
    throw err;
  }
  return row;
}

/** Creates an access key for a user (at most two each); the answer is the only place its secret appears. */
export async function createCredential(
  caller: IdentityCaller,
  userId: string,
  description?: string,
  /** The project of a Keystone EC2 credential (OS-EC2); none for IAM's own AK/SK. */
  projectId?: string,
): Promise<{ credential: Credential; secret: string }> {
  const db = await directory(caller.env);
  const user = await subjectUser(caller, db, userId, 'create');
  const secret = randomToken(30);
  const access = randomAccessKey();
  const column = (col: { name: string }) => sql.identifier(col.name);
  // The count and the insert are one statement, so one write in the directory: parallel creates cannot all see
  // room for themselves, as they did when the count was read first.
  const { rowsAffected } = await db.run(sql`
    INSERT INTO ${credentials} (${column(credentials.access)}, ${column(credentials.userId)}, ${column(credentials.description)}, ${column(credentials.secretSealed)}, ${column(credentials.projectId)})
    SELECT ${access}, ${user.id}, ${description ?? ''}, ${await seal(secret, caller.env.PLATFORM_KEY)}, ${projectId ?? null}
    WHERE (SELECT count(*) FROM ${credentials} WHERE ${credentials.userId} = ${user.id}) < ${MAX_CREDENTIALS_PER_USER}`);
  if (!rowsAffected) throw conflict(`The user already has ${MAX_CREDENTIALS_PER_USER} access keys, the most allowed.`);
  const row = await db.select().from(credentials).where(eq(credentials.access, access)).get();
  return { credential: row!, secret };
}

/**
 * The keys a caller may see: one user's when named; else the whole account's for an administrator with the
 * list action, and only its own for anyone else.
 */
export async function listCredentials(caller: IdentityCaller, userId?: string): Promise<Credential[]> {
  const db = await directory(caller.env);
  if (userId) {
    const user = await subjectUser(caller, db, userId, 'list');
    return db.select().from(credentials).where(eq(credentials.userId, user.id));
  }
  return accountOrOwnCredentials(caller, db);
}

/**
 * A user's Keystone EC2 credentials (the keys made through OS-EC2, each for a project) with their secrets, which
 * Keystone shows on every read of them; keys made through IAM's AK/SK API keep theirs unshown and are not listed.
 */
export async function ec2Credentials(caller: IdentityCaller, userId: string, verb: 'list' | 'get') {
  const db = await directory(caller.env);
  const user = await subjectUser(caller, db, userId, verb);
  const rows = await db.select().from(credentials).where(eq(credentials.userId, user.id));
  const ec2 = rows.filter((r) => r.projectId !== null);
  return Promise.all(ec2.map(async (r) => ({ row: r, secret: await unseal(r.secretSealed, caller.env.PLATFORM_KEY) })));
}

/** Every key of the account for an administrator with the list action, else the caller's own. */
export async function accountOrOwnCredentials(caller: IdentityCaller, db?: Directory): Promise<Credential[]> {
  const d = db ?? (await directory(caller.env));
  const p = caller.principal;
  if (await allows(caller.env, p, 'iam:credentials:list')) {
    const own = d.select({ id: users.id }).from(users).where(eq(users.domainId, p.domainId));
    return d.select().from(credentials).where(inArray(credentials.userId, own));
  }
  return d.select().from(credentials).where(eq(credentials.userId, p.userId));
}

/** Activates or deactivates a key, or redescribes it; a change naming nothing answers the key as it is. */
export async function updateCredential(
  caller: IdentityCaller,
  access: string,
  change: { status?: 'active' | 'inactive'; description?: string },
): Promise<Credential> {
  const row = await getCredential(caller, access, 'update');
  const changes = {
    ...(change.status ? { status: change.status } : {}),
    ...(change.description !== undefined ? { description: change.description } : {}),
  };
  if (!Object.keys(changes).length) return row;
  const [updated] = await (await directory(caller.env))
    .update(credentials)
    .set(changes)
    .where(eq(credentials.access, row.access))
    .returning();
  // A deactivated key must stop signing at once, not when this isolate's cache of it expires.
  invalidateCredential(row.access);
  return updated!;
}

/** Deletes a key; requests it signs are refused from now on. */
export async function deleteCredential(caller: IdentityCaller, access: string): Promise<void> {
  const row = await getCredential(caller, access, 'delete');
  await (await directory(caller.env)).delete(credentials).where(and(eq(credentials.access, row.access)));
  invalidateCredential(row.access);
}
