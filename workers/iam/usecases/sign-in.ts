/**
 * Signing in, behind every door (Keystone's `POST /v3/auth/tokens`, the Console's sign-in form, its region
 * switch): who the credentials name, what scope they may have, and the token that carries both. The user's guard
 * counts failed passwords and locks the user out as the API does, whichever door the password came through.
 */
import { and, eq } from 'drizzle-orm';
import type { Env } from '../../../core/env.ts';
import { projects, users } from '../../../schema/global.ts';
import { userGuard } from '../../auth/guard.ts';
import { principalFromToken } from '../../auth/middleware.ts';
import type { Principal, Scope } from '../../auth/principal.ts';
import { issueToken } from '../../auth/tokens.ts';
import { type Directory, directory } from '../../directory/client.ts';
import { verifyPassword } from '../../lib/crypto.ts';
import { unauthorized } from '../../lib/errors.ts';
import { groupsOf, rolesIn } from '../grants.ts';
import { findDomain } from '../lookups.ts';

/** A domain, project or user named by id or by name. */
export interface Ref {
  id?: string | undefined;
  name?: string | undefined;
}

/** The user a password signs in: by id, or by name within its domain (account). */
export interface PasswordCredentials {
  user: Ref & { domain?: Ref | undefined; password: string };
}

/** The scope asked for: a project (by id, or by name in a domain), a domain, none, or (refused) the system. */
export type ScopeRequest = { project: Ref & { domain?: Ref | undefined } } | { domain: Ref } | 'unscoped' | { system: unknown } | undefined;

/** The answer every door gives a refused sign-in: it never says whether the user, the password or a lock failed. */
export const SIGN_IN_FAILED = 'The request you have made requires authentication.';

type Identity = Omit<Principal, 'scope' | 'roles' | 'tokenId' | 'issuedAtMs' | 'expiresAtMs'> & { expiresAtMs?: number };

/** The identity a password proves, counted by the user's guard (a locked user is refused like a wrong password). */
async function passwordIdentity(env: Env, db: Directory, { user: u }: PasswordCredentials): Promise<Identity> {
  let row: typeof users.$inferSelect | undefined;
  if (u.id) {
    row = await db.select().from(users).where(eq(users.id, u.id)).get();
  } else if (u.name && u.domain) {
    const domain = await findDomain(db, u.domain);
    if (domain)
      row = await db
        .select()
        .from(users)
        .where(and(eq(users.domainId, domain.id), eq(users.name, u.name)))
        .get();
  }
  const domain = row ? await findDomain(db, { id: row.domainId }) : undefined;
  const guard = row ? userGuard(env, row.id) : undefined;
  const mayTry = guard ? await guard.signInAllowed() : true;
  // The hash is derived even for unknown users and locked accounts, so timing tells nothing apart.
  const passwordOk = await verifyPassword(u.password, mayTry ? (row?.passwordHash ?? null) : null);
  if (guard && mayTry) await guard.recordSignIn(passwordOk);
  if (!row || !domain || !passwordOk || !mayTry || !row.enabled || !domain.enabled) throw unauthorized(SIGN_IN_FAILED);
  return {
    userId: row.id,
    userName: row.name,
    domainId: domain.id,
    domainName: domain.name,
    operator: domain.isOperator,
    groupIds: await groupsOf(db, row.id),
    methods: ['password'],
  };
}

/** The identity a valid token proves; the new token ends no later than it. */
async function tokenIdentity(env: Env, db: Directory, tokenId: string): Promise<Identity> {
  const p = await principalFromToken(env, tokenId);
  if (!p) throw unauthorized('The token is invalid, expired or revoked.');
  return { ...p, groupIds: await groupsOf(db, p.userId), methods: ['token'], expiresAtMs: p.expiresAtMs };
}

/** The scope a request resolves to; no scope means the user's default project, if it has one. */
async function resolveScope(db: Directory, who: Identity, requested: ScopeRequest): Promise<Scope> {
  if (requested === undefined || requested === 'unscoped') {
    const user = requested ? undefined : await db.select().from(users).where(eq(users.id, who.userId)).get();
    if (!user?.defaultProjectId) return { type: 'unscoped' };
    requested = { project: { id: user.defaultProjectId } };
  }
  if ('system' in requested) throw unauthorized('System scope is not supported; scope to a project or a domain.');
  if ('domain' in requested) {
    const d = await findDomain(db, requested.domain);
    if (!d?.enabled) throw unauthorized('Could not find the requested domain scope.');
    return { type: 'domain', domainId: d.id, domainName: d.name };
  }
  const pr = requested.project;
  let project: typeof projects.$inferSelect | undefined;
  if (pr.id) project = await db.select().from(projects).where(eq(projects.id, pr.id)).get();
  else if (pr.name && pr.domain) {
    const d = await findDomain(db, pr.domain);
    if (d)
      project = await db
        .select()
        .from(projects)
        .where(and(eq(projects.domainId, d.id), eq(projects.name, pr.name)))
        .get();
  }
  const d = project ? await findDomain(db, { id: project.domainId }) : undefined;
  if (!project?.enabled || !d?.enabled) throw unauthorized('Could not find the requested project scope.');
  return { type: 'project', projectId: project.id, projectName: project.name, domainId: d.id, domainName: d.name };
}

/** Issues a token for the identity on the scope; a scope the user holds no role on is refused. */
async function tokenOn(env: Env, db: Directory, who: Identity, scope: ScopeRequest) {
  const resolved = await resolveScope(db, who, scope);
  const roles = await rolesIn(db, who.userId, who.groupIds, resolved);
  if (resolved.type !== 'unscoped' && roles.length === 0) throw unauthorized('The user has no role on the requested scope.');
  const { expiresAtMs, ...rest } = who;
  return issueToken(env, { ...rest, scope: resolved, roles }, expiresAtMs);
}

/** Signs a user in with a password, onto the scope asked for. */
export async function signInWithPassword(env: Env, credentials: PasswordCredentials, scope: ScopeRequest) {
  const db = await directory(env);
  return tokenOn(env, db, await passwordIdentity(env, db, credentials), scope);
}

/** Exchanges a valid token for one on another scope (Keystone's token method; the Console's region switch). */
export async function signInWithToken(env: Env, tokenId: string, scope: ScopeRequest) {
  const db = await directory(env);
  return tokenOn(env, db, await tokenIdentity(env, db, tokenId), scope);
}
