/** `POST /internal/bootstrap`: run by the local start script and at deployment, guarded by BOOTSTRAP_TOKEN. */

import { z } from 'zod';
import { publicRoute } from '../auth/middleware.ts';
import { directory } from '../directory/client.ts';
import { family, router } from '../lib/app.ts';
import { constantTimeEqual } from '../lib/crypto.ts';
import { notFound } from '../lib/errors.ts';
import { jsonBody } from '../lib/validate.ts';
import { bootstrap } from './bootstrap.ts';

const body = z.object({
  accounts: z.array(
    z.object({
      domain: z.string().min(1),
      user: z.string().min(1),
      password: z.string().min(8),
      forcePassword: z.boolean().optional(),
      operator: z.boolean().optional(),
      rotateCredential: z.boolean().optional(),
    }),
  ),
});

export const bootstrapRoutes = router();
bootstrapRoutes.use(family('native'));

bootstrapRoutes.post('/bootstrap', publicRoute('guarded by its own bearer, BOOTSTRAP_TOKEN'), async (c) => {
  const expected = c.env.BOOTSTRAP_TOKEN;
  const given = c.req.header('authorization')?.replace(/^Bearer /, '') ?? '';
  // Without a configured token the route does not exist, and a wrong token is indistinguishable from that.
  if (!expected || !constantTimeEqual(given, expected)) throw notFound('The resource could not be found.');
  const { accounts } = await jsonBody(c, body);
  return c.json({ accounts: await bootstrap(c.env, await directory(c.env), accounts) });
});
