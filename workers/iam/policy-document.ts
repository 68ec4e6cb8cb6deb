/** The schema of a policy document: `{Version, Statement: [{Effect, Action}]}` with `svc:resource:verb` actions. */
import { z } from 'zod';

/** Flexible Engine IAM: a policy's content is at most 6,144 characters, so no one action is near that. */
export const MAX_POLICY_CHARS = 6144;
const MAX_ACTION_CHARS = 128;

const action = z
  .string()
  .max(MAX_ACTION_CHARS)
  .regex(/^(\*|[a-z0-9_]+)(:(\*|[a-z0-9_*]+)){0,2}$/i, 'an action is service:resource:verb, with * as a wildcard');

export const policyDocument = z
  .object({
    Version: z.literal('1.1').default('1.1'),
    Statement: z
      .array(z.object({ Effect: z.enum(['Allow', 'Deny']), Action: z.array(action).min(1).max(100) }).strict())
      .min(1)
      .max(100),
  })
  .strict()
  .refine((d) => JSON.stringify(d).length <= MAX_POLICY_CHARS, `a policy is at most ${MAX_POLICY_CHARS} characters`);
