/**
 * The one enforcement point: `act(action)` authenticates the caller (token or AK/SK signature) and authorizes the
 * named action against the caller's roles and policies. A route without it is not reachable by tenants.
 */
import { and, eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { Env } from '../../core/env.ts';
import { projects } from '../../schema/global.ts';
import { directory } from '../directory/client.ts';
import { groupsOf, rolesIn, statementsFor } from '../iam/grants.ts';
import type { AppContext, AppEnv } from '../lib/app.ts';
import { forbidden, unauthorized } from '../lib/errors.ts';
import { MAX_JSON_BYTES } from '../lib/validate.ts';
import { type Action, actionSpec } from '../services.ts';
import type { ActionSpec } from './actions.ts';
import { verifySdkSignature } from './aksk.ts';
import { userGuard } from './guard.ts';
import { evaluate } from './policy.ts';
import { type Principal, type Scope, scopedProjectId } from './principal.ts';
import { verifyToken } from './tokens.ts';

/** Verifies a token and asks the user's guard whether it still stands; null when it does not. */
export async function principalFromToken(env: Env, token: string): Promise<Principal | null> {
  const p = await verifyToken(env, token);
  if (!p) return null;
  const guard = userGuard(env, p.userId);
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
    principal = await principalFromToken(c.env, token);
  } else if (c.req.header('authorization')?.startsWith('SDK-HMAC-SHA256')) {
    principal = await principalFromSignature(c);
  }
  if (!principal) throw unauthorized();
  c.set('principal', principal);
  return principal;
}

/** Whether the principal's roles (system roles and custom policies) allow an action. */
export async function allowed(c: AppContext, p: Principal, action: string): Promise<boolean> {
  return allows(c.env, p, action);
}

/** The same decision where there is no request (a use case): the roles' statements, from the directory's cache. */
export async function allows(env: Env, p: Principal, action: string): Promise<boolean> {
  const statements = await statementsFor(
    () => directory(env),
    p.roles.map((r) => r.id),
  );
  return evaluate(statements, action);
}

export interface ActOptions {
  /** Lets a caller act on itself without the action (reading its own user, changing its own password). */
  self?: (c: AppContext, p: Principal) => boolean | Promise<boolean>;
}

/** How a route is guarded: by a registered action, by any valid identity, or not at all (a public route). */
export type Guard = { kind: 'action'; actions: string[]; inHandler?: string } | { kind: 'authenticated' } | { kind: 'public'; why: string };

const guards = new WeakMap<object, Guard>();

/** The guard a middleware stands for, if it is one (the route-table checks walk `app.routes` with this). */
export function guardOf(handler: object): Guard | undefined {
  // A sub-app with its own error handler is mounted with each handler wrapped; Hono keeps the original here.
  let h: object | undefined = handler;
  while (h && !guards.has(h)) h = (h as { __COMPOSED_HANDLER?: object }).__COMPOSED_HANDLER;
  return h && guards.get(h);
}

function guarded(handler: MiddlewareHandler<AppEnv>, guard: Guard): MiddlewareHandler<AppEnv> {
  guards.set(handler, guard);
  return handler;
}

/** The registered entry of an action; an unregistered name fails when the route is defined, not when it is called. */
function registered(action: Action) {
  const spec = actionSpec(action);
  if (!spec) throw new Error(`The policy action ${action} is not registered in any service's policy table.`);
  return spec;
}

/** Authorizes one action for the caller: an operator action refuses customers first, then the roles decide. */
async function authorize(c: AppContext, p: Principal, action: Action, spec: ActionSpec, options: ActOptions): Promise<void> {
  if (spec.scope === 'operator' && !p.operator) throw forbidden(spec.refusal ?? `Policy doesn't allow ${action} to be performed.`);
  const ok = (await options.self?.(c, p)) || (await allowed(c, p, action));
  if (!ok) throw forbidden(`Policy doesn't allow ${action} to be performed.`);
}

/** Declares a route's action: authenticate, then allow or 403, before the request is read any further. */
export function act(action: Action, options: ActOptions = {}): MiddlewareHandler<AppEnv> {
  const spec = registered(action);
  return guarded(
    async (c, next) => {
      await authorize(c, await authenticate(c), action, spec, options);
      await next();
    },
    { kind: 'action', actions: [action] },
  );
}

/**
 * The action of a request whose JSON body names its operation by its one key (`{"os-stop": null}`), from a table
 * of operations; undefined for a body that is not such an object (the handler refuses it).
 */
export function actionNamed(table: Readonly<Record<string, Action>>): (c: AppContext) => Promise<Action | undefined> {
  return async (c) => {
    if (Number(c.req.header('content-length') ?? 0) > MAX_JSON_BYTES) return undefined;
    try {
      const body: unknown = JSON.parse(await c.req.text());
      const keys = body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
      return keys.length === 1 && Object.hasOwn(table, keys[0]!) ? table[keys[0]!] : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * Declares a route that performs one of several operations, chosen by the request (Nova's `POST
 * /servers/{id}/action` names its action in the body): `pick` names the action, and a request that names none
 * of them needs at least one of them (the handler then refuses it as malformed).
 */
export function actOn(actions: readonly Action[], pick: (c: AppContext) => Promise<Action | undefined>): MiddlewareHandler<AppEnv> {
  const specs = new Map(actions.map((a) => [a, registered(a)]));
  return guarded(
    async (c, next) => {
      const p = await authenticate(c);
      const action = await pick(c);
      if (action && specs.has(action)) await authorize(c, p, action, specs.get(action)!, {});
      else if (!(await anyAllowed(c, p, actions))) throw forbidden(`Policy doesn't allow ${actions[0]} to be performed.`);
      await next();
    },
    { kind: 'action', actions: [...actions] },
  );
}

/** Whether the caller's roles allow at least one of the actions (checked one by one, stopping at the first). */
async function anyAllowed(c: AppContext, p: Principal, actions: readonly Action[]): Promise<boolean> {
  for (const a of actions) if (await allowed(c, p, a)) return true;
  return false;
}

/** Authenticates the caller and goes on: the identity-only part of a guard. */
const identified: MiddlewareHandler<AppEnv> = async (c, next) => {
  await authenticate(c);
  await next();
};

/**
 * Declares a route whose handler authorizes the action itself, because who may act depends on what the route
 * finds (a credential or token of the caller's own needs no action, another's does): authenticate here, and the
 * handler calls `allowed()`. `why` says what the handler decides.
 */
export function actInside(action: Action, why: string): MiddlewareHandler<AppEnv> {
  registered(action);
  return guarded((c, next) => identified(c, next), { kind: 'action', actions: [action], inHandler: why });
}

/** A route any valid identity may call (version documents behind a token, the caller's own catalog). */
export function authenticated(): MiddlewareHandler<AppEnv> {
  return guarded((c, next) => identified(c, next), { kind: 'authenticated' });
}

/** A route that needs no identity at all, and why (sign-in, discovery, the token keys). */
export function publicRoute(why: string): MiddlewareHandler<AppEnv> {
  return guarded(async (_c, next) => next(), { kind: 'public', why });
}
