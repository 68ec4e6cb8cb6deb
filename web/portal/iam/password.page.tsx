/**
 * The signed-in user's own password: the old one proves it is the user. A change revokes every token of the
 * user, this session's too, so the page sends the user to sign in again with the new password.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { authenticated } from '../../../workers/auth/middleware.ts';
import { changeOwnPassword } from '../../../workers/iam/usecases/users.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { ApiError } from '../../../workers/lib/errors.ts';
import { type Failure, Field, Form, fieldError, form } from '../../console/kit.tsx';
import { signInPath } from '../../session/session.ts';
import { type IamShell, iamPage } from './shell.tsx';

const schema = z
  .object({
    original: z.string().min(1, 'Enter your current password.'),
    password: z.string().min(1, 'Enter the new password.').max(4096),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two new passwords differ: type the same twice.' });

function PasswordForm({ c, shell, failure }: { c: AppContext; shell: IamShell; failure?: Failure }) {
  return (
    <Form c={c} action={`${shell.base}/password`} submit="Change password" failure={failure}>
      <Field name="original" label="Current password" type="password" required failure={failure} />
      <Field name="password" label="New password" type="password" required failure={failure} />
      <Field name="confirm" label="New password again" type="password" required failure={failure} />
    </Form>
  );
}

/** Registers the own-password page and its form. */
export function passwordRoutes(r: Hono<AppEnv>, shell: IamShell): void {
  const show = (c: AppContext, failure?: Failure) =>
    iamPage(
      c,
      shell,
      '/password',
      'Change my password',
      <>
        <p>After the change, every session of yours ends (this one too): you sign in again with the new password.</p>
        <PasswordForm c={c} shell={shell} failure={failure} />
      </>,
    );
  r.get('/password', authenticated(), (c) => show(c));
  r.post(
    '/password',
    authenticated(),
    form(
      schema,
      async (c, input) => {
        const caller = identityOf(c);
        await changeOwnPassword(caller, caller.principal.userId, input.original, input.password).catch((err) => {
          // The use case's refusal of the old password belongs next to the field it is about.
          if (err instanceof ApiError && err.status === 401) fieldError('original', err.message, 401);
          throw err;
        });
        return c.redirect(signInPath(shell.base), 303);
      },
      show,
    ),
  );
}
