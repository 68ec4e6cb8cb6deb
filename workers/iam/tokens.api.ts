/** Keystone `/v3/auth/*`: issuing, validating and revoking tokens, and what a token may scope to. */
import { and, eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import { domains, projects, roleAssignments, users } from '../../schema/global.ts';
import { userGuard } from '../auth/guard.ts';
import { actInside, allowed, authenticate, authenticated, principalFromToken, publicRoute } from '../auth/middleware.ts';
import type { Principal, Scope } from '../auth/principal.ts';
import { issueToken, publicJwks } from '../auth/tokens.ts';
import { type Directory, directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { verifyPassword } from '../lib/crypto.ts';
import { ApiError, notFound, unauthorized } from '../lib/errors.ts';
import { jsonBody } from '../lib/validate.ts';
import { catalog } from './catalog.ts';
import { groupsOf, rolesIn } from './grants.ts';
import { findDomain } from './lookups.ts';
import { collectionLinks, domainView, projectView, tokenView } from './views.ts';

const ref = z.object({ id: z.string().optional(), name: z.string().optional() });
const authBody = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.enum(['password', 'token'])).min(1),
      password: z
        .object({
          user: z.object({ id: z.string().optional(), name: z.string().optional(), domain: ref.optional(), password: z.string() }),
        })
        .optional(),
      token: z.object({ id: z.string() }).optional(),
    }),
    scope: z
      .union([
        z.object({ project: z.object({ id: z.string().optional(), name: z.string().optional(), domain: ref.optional() }) }),
        z.object({ domain: ref }),
        z.literal('unscoped'),
        z.object({ system: z.unknown() }),
      ])
      .optional(),
  }),
});
type AuthBody = z.output<typeof authBody>;

const SIGN_IN_FAILED = 'The request you have made requires authentication.';

type Identity = Omit<Principal, 'scope' | 'roles' | 'tokenId' | 'issuedAtMs' | 'expiresAtMs'> & { expiresAtMs?: number };

async function passwordIdentity(
  c: AppContext,
  db: Directory,
  body: NonNullable<AuthBody['auth']['identity']['password']>,
): Promise<Identity> {
  const { user: u } = body;
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
  const guard = row ? userGuard(c.env, row.id) : undefined;
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

async function tokenIdentity(c: AppContext, db: Directory, tokenId: string): Promise<Identity> {
  const p = await principalFromToken(c, tokenId);
  if (!p) throw unauthorized('The token is invalid, expired or revoked.');
  return { ...p, groupIds: await groupsOf(db, p.userId), methods: ['token'], expiresAtMs: p.expiresAtMs };
}

async function resolveScope(db: Directory, who: Identity, requested: AuthBody['auth']['scope']): Promise<Scope> {
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

const origin = (c: AppContext) => new URL(c.req.url).origin;

/** Routes under `/iam/v3/auth`. */
export const authRoutes = router();

authRoutes.post('/auth/tokens', publicRoute('sign-in: the credentials are the body'), async (c) => {
  const body = await jsonBody(c, authBody);
  const { identity, scope } = body.auth;
  const db = await directory(c.env);
  let who: Identity;
  if (identity.methods.includes('password')) {
    if (!identity.password) throw new ApiError(400, "Invalid input for field 'identity.password': required by the password method.");
    who = await passwordIdentity(c, db, identity.password);
  } else {
    const id = identity.token?.id ?? c.req.header('x-auth-token');
    if (!id) throw new ApiError(400, "Invalid input for field 'identity.token': required by the token method.");
    who = await tokenIdentity(c, db, id);
  }
  const resolved = await resolveScope(db, who, scope);
  const roles = await rolesIn(db, who.userId, who.groupIds, resolved);
  if (resolved.type !== 'unscoped' && roles.length === 0) throw unauthorized('The user has no role on the requested scope.');
  const { expiresAtMs, ...rest } = who;
  const { token, principal } = await issueToken(c.env, { ...rest, scope: resolved, roles }, expiresAtMs);
  c.header('X-Subject-Token', token);
  return c.json(tokenView(origin(c), principal, c.req.query('nocatalog') === undefined), 201);
});

/** What the validate and revoke routes decide: one's own token needs no action, another's does. */
const OWN_TOKEN = "the caller's own token needs no action; another's of the account (any, for the operator) needs it";

/** The subject token of a validate/revoke call, which the caller may handle when it is its own or it may administer tokens. */
async function subjectToken(c: AppContext, action: string) {
  const caller = await authenticate(c);
  const subjectId = c.req.header('x-subject-token');
  const subject = subjectId ? await principalFromToken(c, subjectId) : null;
  const own = subject?.userId === caller.userId;
  if (!own && !(await allowed(c, caller, action))) throw new ApiError(403, `Policy doesn't allow ${action} to be performed.`);
  if (!subject || (!own && !caller.operator && subject.domainId !== caller.domainId)) throw notFound('The token could not be found.');
  return subject;
}

authRoutes.get('/auth/tokens', actInside('iam:tokens:get', OWN_TOKEN), async (c) => {
  const subject = await subjectToken(c, 'iam:tokens:get');
  c.header('X-Subject-Token', c.req.header('x-subject-token') ?? '');
  return c.json(tokenView(origin(c), subject, c.req.query('nocatalog') === undefined));
});

authRoutes.on('HEAD', '/auth/tokens', actInside('iam:tokens:get', OWN_TOKEN), async (c) => {
  await subjectToken(c, 'iam:tokens:get');
  return c.body(null, 200);
});

authRoutes.delete('/auth/tokens', actInside('iam:tokens:delete', OWN_TOKEN), async (c) => {
  const subject = await subjectToken(c, 'iam:tokens:delete');
  if (subject.tokenId) await userGuard(c.env, subject.userId).revokeToken(subject.tokenId, subject.expiresAtMs);
  return c.body(null, 204);
});

authRoutes.get('/auth/catalog', authenticated(), (c) => {
  const p = c.var.principal;
  if (p.scope.type === 'unscoped') throw new ApiError(403, 'An unscoped token has no catalog.');
  return c.json({
    catalog: catalog(origin(c), p.scope.type === 'project' ? p.scope.projectId : undefined),
    links: collectionLinks(origin(c), 'auth/catalog'),
  });
});

async function assignedTargets(db: Directory, p: Principal, targetType: 'project' | 'domain') {
  const groupIds = await groupsOf(db, p.userId);
  const rows = await db
    .selectDistinct({ id: roleAssignments.targetId })
    .from(roleAssignments)
    .where(
      and(
        or(
          and(eq(roleAssignments.actorType, 'user'), eq(roleAssignments.actorId, p.userId)),
          groupIds.length ? and(eq(roleAssignments.actorType, 'group'), inArray(roleAssignments.actorId, groupIds)) : undefined,
        ),
        eq(roleAssignments.targetType, targetType),
      ),
    );
  return rows.map((r) => r.id);
}

authRoutes.get('/auth/projects', authenticated(), async (c) => {
  const db = await directory(c.env);
  const p = c.var.principal;
  const direct = await assignedTargets(db, p, 'project');
  const viaDomain = await assignedTargets(db, p, 'domain');
  const rows = await db
    .select()
    .from(projects)
    .where(and(eq(projects.enabled, true), or(inArray(projects.id, direct), inArray(projects.domainId, viaDomain))));
  return c.json({ projects: rows.map((r) => projectView(origin(c), r)), links: collectionLinks(origin(c), 'auth/projects') });
});

authRoutes.get('/auth/domains', authenticated(), async (c) => {
  const db = await directory(c.env);
  const ids = await assignedTargets(db, c.var.principal, 'domain');
  const rows = await db
    .select()
    .from(domains)
    .where(and(eq(domains.enabled, true), inArray(domains.id, ids)));
  return c.json({ domains: rows.map((r) => domainView(origin(c), r)), links: collectionLinks(origin(c), 'auth/domains') });
});

/** The public keys that verify tokens (JWKS), for services that verify tokens on their own. */
authRoutes.get('/auth/keys', publicRoute('the public keys that verify tokens (JWKS)'), async (c) => c.json(await publicJwks(c.env)));
