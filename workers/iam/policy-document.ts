/** The schema of a policy document: `{Version, Statement: [{Effect, Action}]}` with `svc:resource:verb` actions. */
import { z } from 'zod';

const action = z.string().regex(/^(\*|[a-z0-9_]+)(:(\*|[a-z0-9_*]+)){0,2}$/i, 'an action is service:resource:verb, with * as a wildcard');

export const policyDocument = z
  .object({
    Version: z.literal('1.1').default('1.1'),
    Statement: z
      .array(z.object({ Effect: z.enum(['Allow', 'Deny']), Action: z.array(action).min(1).max(100) }).strict())
      .min(1)
      .max(100),
  })
  .strict();
