/**
 * The signed-in user's own access keys (AK/SK): list, create (the secret key is shown on the answer to the
 * creation and never again: it is stored sealed), deactivate and activate, delete. A user's own keys need no
 * policy action; the use cases refuse anything else.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Credential } from '../../../schema/global.ts';
import { actInside } from '../../../workers/auth/middleware.ts';
import {
  createCredential,
  deleteCredential,
  listCredentials,
  MAX_CREDENTIALS_PER_USER,
  updateCredential,
} from '../../../workers/iam/usecases/credentials.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { ActionButton, Actions, done, Empty, type Failure, Field, Form, form, Status, Table } from '../../console/kit.tsx';
import { type IamShell, iamPage } from './shell.tsx';

const OWN_KEYS = "a user's own keys need no action; another user's of the account need it (the use case decides)";

/** Where a key's button returns: the keys page, or the user's page it was pressed on (`/users/<id>`). */
const BACK = /^\/users\/[0-9a-f]{32}$/;

/**
 * A table of access keys with their buttons; `back` names the user's page they are shown on (an administrator's
 * view of another user's keys), else they are the caller's own.
 */
export function KeysTable(props: { c: AppContext; shell: IamShell; keys: Credential[]; caption: string; back?: string }) {
  return (
    <Table caption={props.caption} head={['Access key', 'Description', 'Status', 'Created', 'Actions']}>
      <KeyRows {...props} />
    </Table>
  );
}

function KeyRows({ c, shell, keys, back }: { c: AppContext; shell: IamShell; keys: Credential[]; back?: string }) {
  const fields = back ? { back } : undefined;
  return (
    <tbody>
      {keys.length === 0 && <Empty cols={5}>No access keys.</Empty>}
      {keys.map((k) => (
        <tr>
          <th scope="row">
            <code>{k.access}</code>
          </th>
          <td>{k.description}</td>
          <td>
            <Status value={k.status} />
          </td>
          <td>{k.createdAt}</td>
          <td>
            <Actions>
              {k.status === 'active' ? (
                <ActionButton
                  c={c}
                  action={`${shell.base}/credentials/${k.access}/disable`}
                  label="Deactivate"
                  fields={fields}
                  title={`Deactivate ${k.access}`}
                />
              ) : (
                <ActionButton
                  c={c}
                  action={`${shell.base}/credentials/${k.access}/enable`}
                  label="Activate"
                  fields={fields}
                  title={`Activate ${k.access}`}
                />
              )}
              <ActionButton
                c={c}
                action={`${shell.base}/credentials/${k.access}/delete`}
                label="Delete"
                danger
                fields={fields}
                title={`Delete ${k.access}`}
              />
            </Actions>
          </td>
        </tr>
      ))}
    </tbody>
  );
}

async function show(c: AppContext, shell: IamShell, failure?: Failure) {
  const caller = identityOf(c);
  const keys = await listCredentials(caller, caller.principal.userId);
  return iamPage(
    c,
    shell,
    '/credentials',
    'My access keys',
    <>
      <p>
        An access key (AK) and its secret key (SK) sign API calls and OBS requests as you. You may have {MAX_CREDENTIALS_PER_USER} keys.
      </p>
      <KeysTable c={c} shell={shell} keys={keys} caption="My access keys" />
      <h2>Create an access key</h2>
      <Form c={c} action={`${shell.base}/credentials`} submit="Create access key" failure={failure}>
        <Field name="description" label="Description" failure={failure} hint="What the key is for (optional)." />
      </Form>
    </>,
  );
}

/** The answer to a creation: the one time the secret key is shown. */
function Created({ c, shell, key, secret }: { c: AppContext; shell: IamShell; key: Credential; secret: string }) {
  return iamPage(
    c,
    shell,
    '/credentials',
    'Access key created',
    <>
      <p role="status" class="banner">
        Copy the secret key now: it is shown this once and cannot be shown again. If you lose it, delete the key and create another.
      </p>
      <dl class="facts">
        <dt>Access key (AK)</dt>
        <dd>
          <code>{key.access}</code>
        </dd>
        <dt>Secret key (SK)</dt>
        <dd>
          <code>{secret}</code>
        </dd>
      </dl>
      <p>
        <a href={`${shell.base}/credentials`}>Back to my access keys</a>
      </p>
    </>,
  );
}

/** Registers the own-keys page and its forms, and the buttons of any key the caller may change. */
export function credentialRoutes(r: Hono<AppEnv>, shell: IamShell): void {
  const keys = `${shell.base}/credentials`;
  const backTo = async (c: AppContext) => {
    const back = (await c.req.parseBody()).back;
    return typeof back === 'string' && BACK.test(back) ? `${shell.base}${back}` : keys;
  };
  r.get('/credentials', actInside('iam:credentials:list', OWN_KEYS), (c) => show(c, shell));
  r.post(
    '/credentials',
    actInside('iam:credentials:create', OWN_KEYS),
    form(
      z.object({ description: z.string().trim().max(255, 'The description is at most 255 characters.').default('') }),
      async (c, input) => {
        const caller = identityOf(c);
        const { credential, secret } = await createCredential(caller, caller.principal.userId, input.description);
        c.status(201);
        return Created({ c, shell, key: credential, secret });
      },
      (c, failure) => show(c, shell, failure),
    ),
  );
  for (const [verb, status] of [
    ['enable', 'active'],
    ['disable', 'inactive'],
  ] as const) {
    r.post(`/credentials/:access/${verb}`, actInside('iam:credentials:update', OWN_KEYS), async (c) => {
      const key = await updateCredential(identityOf(c), c.req.param('access'), { status });
      return done(c, await backTo(c), `The access key ${key.access} is ${status}.`);
    });
  }
  r.post('/credentials/:access/delete', actInside('iam:credentials:delete', OWN_KEYS), async (c) => {
    await deleteCredential(identityOf(c), c.req.param('access'));
    return done(c, await backTo(c), `The access key ${c.req.param('access')} is deleted.`);
  });
}
