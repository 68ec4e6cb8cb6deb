/**
 * The account's users: the list with a form to create one, and each user's page (its details, groups and roles;
 * enable, disable, reset its password, delete). Every page and form is guarded by the API's own action.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Group, User } from '../../../schema/global.ts';
import { act, allows } from '../../../workers/auth/middleware.ts';
import { listCredentials } from '../../../workers/iam/usecases/credentials.ts';
import { addMember, listGroups, removeMember } from '../../../workers/iam/usecases/groups.ts';
import { createUser, deleteUser, getUser, groupsOfUser, listUsers, updateUser } from '../../../workers/iam/usecases/users.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import {
  ActionButton,
  Actions,
  Check,
  done,
  Empty,
  type Failure,
  Field,
  Form,
  f,
  form,
  Select,
  Status,
  Table,
} from '../../console/kit.tsx';
import { KeysTable } from './credentials.page.tsx';
import { GrantsPanel, grantRoutes, grantsOf } from './grants.tsx';
import { type IamShell, iamPage } from './shell.tsx';

const newUser = z.object({
  name: f.text('the user name').pipe(z.string().max(255, 'The name is at most 255 characters.')),
  email: f.optional().pipe(z.email('Enter an email address like name@example.com.').max(255).optional()),
  description: f.optional(),
  password: f.optional(),
  enabled: f.check(),
});

function UserRows({ c, shell, users }: { c: AppContext; shell: IamShell; users: User[] }) {
  const base = `${shell.base}/users`;
  return (
    <tbody>
      {users.length === 0 && <Empty cols={4}>No users.</Empty>}
      {users.map((u) => (
        <tr>
          <th scope="row">
            <a href={`${base}/${u.id}`}>{u.name}</a>
          </th>
          <td>{u.email ?? ''}</td>
          <td>
            <Status value={u.enabled ? 'enabled' : 'disabled'} />
          </td>
          <td>
            <Actions>
              <ActionButton
                c={c}
                action={`${base}/${u.id}/${u.enabled ? 'disable' : 'enable'}`}
                label={u.enabled ? 'Disable' : 'Enable'}
                title={`${u.enabled ? 'Disable' : 'Enable'} ${u.name}`}
              />
              <ActionButton c={c} action={`${base}/${u.id}/delete`} label="Delete" danger title={`Delete ${u.name}`} />
            </Actions>
          </td>
        </tr>
      ))}
    </tbody>
  );
}

async function showList(c: AppContext, shell: IamShell, failure?: Failure) {
  const users = await listUsers(identityOf(c));
  return iamPage(
    c,
    shell,
    '/users',
    'Users',
    <>
      <Table caption="Users of the account" head={['Name', 'Email', 'Status', 'Actions']}>
        <UserRows c={c} shell={shell} users={users} />
      </Table>
      <h2>Create a user</h2>
      <Form c={c} action={`${shell.base}/users`} submit="Create user" failure={failure}>
        <Field name="name" label="User name" required failure={failure} />
        <Field name="email" label="Email" type="email" failure={failure} />
        <Field name="description" label="Description" failure={failure} />
        <Field
          name="password"
          label="Password"
          type="password"
          failure={failure}
          hint="Without one, the user cannot sign in until it is set."
        />
        <Check name="enabled" label="Enabled" checked failure={failure} />
      </Form>
    </>,
  );
}

/** The groups panel of a user's page: its groups, and a form to add it to another (with the right to change groups). */
function UserGroups(props: { c: AppContext; shell: IamShell; user: User; groups: Group[]; others?: Group[]; failure?: Failure }) {
  const { c, shell, user, failure } = props;
  const action = `${shell.base}/users/${user.id}/groups`;
  return (
    <>
      <Table caption={`Groups of ${user.name}`} head={['Group', 'Actions']}>
        <tbody>
          {props.groups.length === 0 && <Empty cols={2}>In no group.</Empty>}
          {props.groups.map((g) => (
            <tr>
              <th scope="row">
                <a href={`${shell.base}/groups/${g.id}`}>{g.name}</a>
              </th>
              <td>
                {props.others && (
                  <ActionButton
                    c={c}
                    action={`${action}/${g.id}/remove`}
                    label="Remove"
                    danger
                    title={`Remove ${user.name} from ${g.name}`}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {props.others && props.others.length > 0 && (
        <Form c={c} action={action} submit="Add to group" failure={failure} label="Add to a group">
          <Select name="group" label="Group" failure={failure} options={props.others.map((g) => ({ value: g.id, label: g.name }))} />
        </Form>
      )}
    </>
  );
}

/** A user's keys: one's own are on their page; another's are shown to whoever may list them (to revoke a leaked one). */
async function userKeys(c: AppContext, shell: IamShell, user: User) {
  const caller = identityOf(c);
  if (user.id === caller.principal.userId)
    return (
      <p>
        <a href={`${shell.base}/credentials`}>Your access keys</a> are on their own page.
      </p>
    );
  if (!(await allows(c.env, caller.principal, 'iam:credentials:list')))
    return <p>You may not see this user's access keys (the policy action iam:credentials:list).</p>;
  const keys = await listCredentials(caller, user.id);
  return <KeysTable c={c} shell={shell} keys={keys} caption={`Access keys of ${user.name}`} back={`/users/${user.id}`} />;
}

/** A user's page: details, groups, roles, and the forms that change them. */
async function showUser(c: AppContext, shell: IamShell, failure?: Failure) {
  const caller = identityOf(c);
  const user = await getUser(caller, c.req.param('user_id') ?? '');
  const { groups } = await groupsOfUser(caller, user.id);
  const mayChangeGroups =
    (await allows(c.env, caller.principal, 'iam:groups:update')) && (await allows(c.env, caller.principal, 'iam:groups:list'));
  const others = mayChangeGroups
    ? (await listGroups(caller, { domainId: user.domainId })).filter((g) => !groups.some((m) => m.id === g.id))
    : undefined;
  const grants = await grantsOf(c, 'user', user.id);
  const base = `${shell.base}/users/${user.id}`;
  // Each form's refusal names one of its fields (the routes see to it), so it shows on that form only.
  const which = (field: string) => (failure?.field === field ? failure : undefined);
  return iamPage(
    c,
    shell,
    '/users',
    `User ${user.name}`,
    <>
      <dl class="facts">
        <dt>User ID</dt>
        <dd>
          <code>{user.id}</code>
        </dd>
        <dt>Status</dt>
        <dd>
          <Status value={user.enabled ? 'enabled' : 'disabled'} />
        </dd>
        <dt>Password</dt>
        <dd>{user.passwordHash ? `set ${user.passwordChangedAt ?? ''}` : 'none: the user cannot sign in'}</dd>
      </dl>
      <h2>Details</h2>
      <Form c={c} action={base} submit="Save" failure={which('name') ?? which('email')} label="Details">
        <Field name="name" label="User name" required value={user.name} failure={which('name')} />
        <Field name="email" label="Email" type="email" value={user.email ?? ''} failure={which('email')} />
        <Field name="description" label="Description" value={user.description} />
      </Form>
      <h2>Reset the password</h2>
      <Form c={c} action={`${base}/password`} submit="Reset password" failure={which('password')} label="Reset the password">
        <Field
          name="password"
          label="New password"
          type="password"
          required
          failure={which('password')}
          hint="The user's sessions end at once."
        />
      </Form>
      <h2>Groups</h2>
      <UserGroups c={c} shell={shell} user={user} groups={groups} others={others} failure={which('group')} />
      <h2>Roles</h2>
      <GrantsPanel c={c} action={`${base}/roles`} view={grants} failure={which('role') ?? which('scope')} who={user.name} />
      <h2>Access keys</h2>
      {await userKeys(c, shell, user)}
    </>,
  );
}

/** Registers the users' pages and forms. */
export function userRoutes(r: Hono<AppEnv>, shell: IamShell): void {
  const list = `${shell.base}/users`;
  r.get('/users', act('iam:users:list'), (c) => showList(c, shell));
  r.post(
    '/users',
    act('iam:users:create'),
    form(
      newUser,
      async (c, u) => {
        const user = await createUser(identityOf(c), { ...u, password: u.password ?? null });
        return done(c, list, `The user ${user.name} is created.`);
      },
      (c, failure) => showList(c, shell, failure.field ? failure : { ...failure, field: 'name' }),
    ),
  );
  const isSelf = (c: AppContext) => c.req.param('user_id') === c.var.principal?.userId;
  r.get('/users/:user_id', act('iam:users:get', { self: isSelf }), (c) => showUser(c, shell));
  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    r.post(`/users/:user_id/${verb}`, act('iam:users:update'), async (c) => {
      const user = await updateUser(identityOf(c), c.req.param('user_id'), { enabled });
      return done(c, list, `The user ${user.name} is ${enabled ? 'enabled' : 'disabled'}.`);
    });
  }
  r.post('/users/:user_id/delete', act('iam:users:delete'), async (c) => {
    const user = await getUser(identityOf(c), c.req.param('user_id'));
    await deleteUser(identityOf(c), user.id);
    return done(c, list, `The user ${user.name} is deleted.`);
  });
  userPageRoutes(r, shell);
}

/** The forms of a user's page: details, a password reset, groups, roles. */
function userPageRoutes(r: Hono<AppEnv>, shell: IamShell): void {
  const page = (c: AppContext) => `${shell.base}/users/${c.req.param('user_id')}`;
  // A refusal that names no field is shown next to the form's main field: the page has several forms.
  const at = (field: string) => (c: AppContext, failure: Failure) => showUser(c, shell, failure.field ? failure : { ...failure, field });
  const details = z.object({
    name: newUser.shape.name,
    email: newUser.shape.email,
    description: z.string().trim().max(1024).default(''),
  });
  r.post(
    '/users/:user_id',
    act('iam:users:update'),
    form(
      details,
      async (c, u) => {
        const user = await updateUser(identityOf(c), c.req.param('user_id') ?? '', { ...u, email: u.email ?? null });
        return done(c, page(c), `The user ${user.name} is saved.`);
      },
      at('name'),
    ),
  );
  r.post(
    '/users/:user_id/password',
    act('iam:users:update'),
    form(
      z.object({ password: z.string().min(1, 'Enter the new password.').max(4096) }),
      async (c, u) => {
        const user = await updateUser(identityOf(c), c.req.param('user_id') ?? '', { password: u.password });
        return done(c, page(c), `The password of ${user.name} is reset; its sessions have ended.`);
      },
      at('password'),
    ),
  );
  r.post(
    '/users/:user_id/groups',
    act('iam:groups:update'),
    form(
      z.object({ group: z.string({ error: 'Choose a group.' }).min(1, 'Choose a group.') }),
      async (c, input) => {
        await addMember(identityOf(c), input.group, c.req.param('user_id') ?? '');
        return done(c, page(c), 'The user is added to the group. Its roles apply from the user’s next sign-in.');
      },
      at('group'),
    ),
  );
  r.post('/users/:user_id/groups/:group_id/remove', act('iam:groups:update'), async (c) => {
    await removeMember(identityOf(c), c.req.param('group_id'), c.req.param('user_id'));
    return done(c, page(c), 'The user is removed from the group; its sessions have ended.');
  });
  grantRoutes(r, shell, 'user', at('role'));
}
