/**
 * The one enforcement point: `act(action)` authenticates the caller (token or AK/SK signature) and authorizes the
 * named action against the caller's roles and policies. A route without it is not reachable by tenants.
 */
import { and, eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { projects } from '../../schema/global.ts';
import { directory } from '../directory/client.ts';
import { groupsOf, rolesIn, statementsFor } from '../iam/grants.ts';
import type { AppContext, AppEnv } from '../lib/app.ts';
import { forbidden, unauthorized } from '../lib/errors.ts';
import { verifySdkSignature } from './aksk.ts';
import { userGuard } from './guard.ts';
import { evaluate } from './policy.ts';
import { type Principal, type Scope, scopedProjectId } from './principal.ts';
import { verifyToken } from './tokens.ts';

/** Verifies a token and asks the user's guard whether it still stands; null when it does not. */
export async function principalFromToken(c: AppContext, token: string): Promise<Principal | null> {
  const p = await verifyToken(c.env, token);
  if (!p) return null;
  const guard = userGuard(c.env, p.userId);
  return (await guard.isValid(p.tokenId, p.issuedAtMs, scopedProjectId(p))) ? p : null;
}

const GRANT_TTL_MS = 30_000;
const grants = new Map<string, { at: number; scope: Scope; roles: Principal['roles']; groupIds: string[] }>();

/** Forgets cached AK/SK grants in this isolate (roles or membership changed). */
export function invalidateGrants(): void {
  grants.clear();
}

async function principalFromSignature(c: AppContext): Promise<Principal> {
  const owner = await verifySdkSignature(c.env, c.req.raw);
  const projectId = c.req.header('x-project-id') ?? c.req.param('project_id');
  const key = `${owner.userId}|${projectId ?? ''}`;
  let grant = grants.get(key);
  if (!grant || Date.now() - grant.at > GRANT_TTL_MS) {
    const db = await directory(c.env);
    let scope: Scope = { type: 'domain', domainId: owner.domainId, domainName: owner.domainName };
    if (projectId) {
      const project = await db
        .select()
        .from(projects)
        .where(and(eq(projects.id, projectId), eq(projects.domainId, owner.domainId)))
        .get();
      if (!project) throw unauthorized('The project in the request does not belong to the credential owner.');
      scope = { type: 'project', projectId, projectName: project.name, domainId: owner.domainId, domainName: owner.domainName };
    }
    const groupIds = await groupsOf(db, owner.userId);
    grant = { at: Date.now(), scope, roles: await rolesIn(db, owner.userId, groupIds, scope), groupIds };
    grants.set(key, grant);
  }
  const now = Date.now();
  return {
    userId: owner.userId,
    userName: owner.userName,
    domainId: owner.domainId,
    domainName: owner.domainName,
    operator: owner.operator,
    scope: grant.scope,
    roles: grant.roles,
    groupIds: grant.groupIds,
    methods: ['aksk'],
    issuedAtMs: now,
    expiresAtMs: now,
  };
}

/** Establishes the caller, once per request; 401 when there is no valid token or signature. */
export async function authenticate(c: AppContext): Promise<Principal> {
  const known = c.get('principal');
  if (known) return known;
  const token = c.req.header('x-auth-token');
  let principal: Principal | null = null;
  if (token) {
    principal = await principalFromToken(c, token);
  } else if (c.req.header('authorization')?.startsWith('SDK-HMAC-SHA256')) {
    principal = await principalFromSignature(c);
  }
  if (!principal) throw unauthorized();
  c.set('principal', principal);
  return principal;
}

/** Whether the principal's roles (system roles and custom policies) allow an action. */
export async function allowed(c: AppContext, p: Principal, action: string): Promise<boolean> {
  const statements = await statementsFor(
    () => directory(c.env),
    p.roles.map((r) => r.id),
  );
  return evaluate(statements, action);
}

export interface ActOptions {
  /** Lets a caller act on itself without the action (reading its own user, changing its own password). */
  self?: (c: AppContext, p: Principal) => boolean;
}

/** Declares a route's action: authenticate, then allow or 403. `authenticated` needs only a valid identity. */
export function act(action: string, options: ActOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = await authenticate(c);
    const ok = action === 'authenticated' || options.self?.(c, p) || (await allowed(c, p, action));
    if (!ok) throw forbidden(`Policy doesn't allow ${action} to be performed.`);
    await next();
  };
}
