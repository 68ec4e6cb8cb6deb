/**
 * The Console at `/console`: sign-in and sign-out, the region switch, its assets, then every section's pages
 * behind the session (web/session/session.ts) and its CSRF check. Pages call the same use cases as the APIs,
 * guarded by the same policy actions.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { REGIONS } from '../../core/regions.ts';
import { authenticated, publicRoute } from '../../workers/auth/middleware.ts';
import { SIGN_IN_FAILED, signInWithPassword, signInWithToken } from '../../workers/iam/usecases/sign-in.ts';
import type { AppEnv } from '../../workers/lib/app.ts';
import { ApiError } from '../../workers/lib/errors.ts';
import { webSecurity } from '../session/headers.ts';
import {
  csrf,
  endSession,
  revokeSessionToken,
  safeNext,
  sameOriginOnly,
  session,
  sessionToken,
  startSession,
  takeFlash,
} from '../session/session.ts';
import { asConsole } from './as/as.console.tsx';
import { assetOf } from './assets.ts';
import { cesConsole } from './ces/ces.console.tsx';
import { ecsConsole } from './ecs/ecs.console.tsx';
import { eipConsole } from './eip/eip.console.tsx';
import { elbConsole } from './elb/elb.console.tsx';
import { evsConsole } from './evs/evs.console.tsx';
import { HomePage } from './home.page.tsx';
import { iamConsole } from './iam/iam.console.tsx';
import { imsConsole } from './ims/ims.console.tsx';
import { consoleRouter, done, f, form, renderConsoleError } from './kit.tsx';
import { obsConsole } from './obs/obs.console.tsx';
import { SECTIONS } from './sections.ts';
import { SignInPage } from './sign-in.page.tsx';
import { smnConsole } from './smn/smn.console.tsx';
import { vbsConsole } from './vbs/vbs.console.tsx';
import { vpcConsole } from './vpc/vpc.console.tsx';

/** Each section's router, by its name in SECTIONS. */
const APPS: Record<string, Hono<AppEnv>> = {
  ecs: ecsConsole,
  vpc: vpcConsole,
  eip: eipConsole,
  evs: evsConsole,
  elb: elbConsole,
  as: asConsole,
  ces: cesConsole,
  smn: smnConsole,
  ims: imsConsole,
  vbs: vbsConsole,
  obs: obsConsole,
  iam: iamConsole,
};

for (const s of SECTIONS) if (!APPS[s.name]) throw new Error(`The Console section ${s.name} has no router in console.app.tsx.`);

export const consoleApp = consoleRouter();
consoleApp.use('*', webSecurity());

consoleApp.get('/assets/:file', publicRoute('the Console’s stylesheet and scripts'), (c) => {
  const a = assetOf(c.req.param('file'));
  if (!a) throw new ApiError(404, 'No such asset.');
  return c.body(a.body, 200, { 'Content-Type': a.type, 'Cache-Control': 'public, max-age=31536000, immutable' });
});

const signInForm = z.object({
  account: f.text('the account name'),
  user: f.text('the user name'),
  password: z.string().min(1, 'Enter the password.'),
  region: z.enum(REGIONS as [string, ...string[]]).default(REGIONS[0]!),
  next: z.string().optional(),
});

consoleApp.get('/sign-in', publicRoute('the sign-in page'), (c) => c.html(<SignInPage c={c} next={safeNext(c.req.query('next'))} />));

consoleApp.post(
  '/sign-in',
  publicRoute('sign-in: the credentials are the form'),
  sameOriginOnly(),
  form(
    signInForm,
    async (c, input) => {
      const { token, principal } = await signInWithPassword(
        c.env,
        { user: { name: input.user, domain: { name: input.account }, password: input.password } },
        { project: { name: input.region, domain: { name: input.account } } },
      ).catch((err) => {
        // The API's words for every refusal (wrong password, unknown user, locked out) are deliberately the same.
        if (err instanceof ApiError && err.status === 401 && err.message === SIGN_IN_FAILED)
          throw new ApiError(401, 'The account, user name or password is wrong, or the user is locked out after too many failures.');
        throw err;
      });
      startSession(c, token, principal.expiresAtMs);
      return c.redirect(safeNext(input.next), 303);
    },
    (c, failure) => c.html(<SignInPage c={c} next={safeNext(valueAsString(failure.values.next))} failure={failure} />),
  ),
);

const valueAsString = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

// Everything below needs a signed-in session, and a change needs its CSRF token.
consoleApp.use('*', session(), csrf(), takeFlash());

consoleApp.get('/', authenticated(), (c) => c.html(<HomePage c={c} />));

consoleApp.post('/sign-out', authenticated(), async (c) => {
  await endSession(c);
  return c.redirect('/console/sign-in', 303);
});

consoleApp.post(
  '/region',
  authenticated(),
  form(
    z.object({ region: z.enum(REGIONS as [string, ...string[]], { error: 'Choose a region of the catalogue.' }) }),
    async (c, { region }) => {
      const p = c.var.principal;
      const { token, principal } = await signInWithToken(c.env, sessionToken(c) ?? '', {
        project: { name: region, domain: { id: p.domainId } },
      });
      await revokeSessionToken(c);
      startSession(c, token, principal.expiresAtMs);
      return done(c, '/console', `You are now working in ${region}.`);
    },
    (c, failure) => renderConsoleError(new ApiError(failure.status, failure.message), c),
  ),
);

for (const s of SECTIONS) consoleApp.route(`/${s.name}`, APPS[s.name]!);
