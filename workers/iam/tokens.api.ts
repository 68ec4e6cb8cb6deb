/** Keystone `/v3/auth/*`: issuing, validating and revoking tokens, and what a token may scope to. */
import { and, eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import { domains, projects, roleAssignments } from '../../schema/global.ts';
import { userGuard } from '../auth/guard.ts';
import { actInside, allowed, authenticate, authenticated, principalFromToken, publicRoute } from '../auth/middleware.ts';
import type { Principal } from '../auth/principal.ts';
import { publicJwks } from '../auth/tokens.ts';
import { type Directory, directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { ApiError, notFound } from '../lib/errors.ts';
import { jsonBody } from '../lib/validate.ts';
import { catalog } from './catalog.ts';
import { groupsOf } from './grants.ts';
import { signInWithPassword, signInWithToken } from './usecases/sign-in.ts';
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

const origin = (c: AppContext) => new URL(c.req.url).origin;

/** Routes under `/iam/v3/auth`. */
export const authRoutes = router();

authRoutes.post('/auth/tokens', publicRoute('sign-in: the credentials are the body'), async (c) => {
  const body = await jsonBody(c, authBody);
  const { identity, scope } = body.auth;
  let issued: Awaited<ReturnType<typeof signInWithPassword>>;
  if (identity.methods.includes('password')) {
    if (!identity.password) throw new ApiError(400, "Invalid input for field 'identity.password': required by the password method.");
    issued = await signInWithPassword(c.env, identity.password, scope);
  } else {
    const id = identity.token?.id ?? c.req.header('x-auth-token');
    if (!id) throw new ApiError(400, "Invalid input for field 'identity.token': required by the token method.");
    issued = await signInWithToken(c.env, id, scope);
  }
  c.header('X-Subject-Token', issued.token);
  return c.json(tokenView(origin(c), issued.principal, c.req.query('nocatalog') === undefined), 201);
});

/** What the validate and revoke routes decide: one's own token needs no action, another's does. */
const OWN_TOKEN = "the caller's own token needs no action; another's of the account (any, for the operator) needs it";

/** The subject token of a validate/revoke call, which the caller may handle when it is its own or it may administer tokens. */
async function subjectToken(c: AppContext, action: string) {
  const caller = await authenticate(c);
  const subjectId = c.req.header('x-subject-token');
  const subject = subjectId ? await principalFromToken(c.env, subjectId) : null;
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
