/**
 * The account's groups: the list with a form to create one, and each group's page (its members and roles, with
 * forms to add and remove members and grant and revoke roles). Roles and custom policies usually reach people
 * through groups.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Group, User } from '../../../schema/global.ts';
import { act, allows } from '../../../workers/auth/middleware.ts';
import { addMember, createGroup, deleteGroup, listGroups, membersOf, removeMember } from '../../../workers/iam/usecases/groups.ts';
import { listUsers } from '../../../workers/iam/usecases/users.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { ActionButton, done, Empty, type Failure, Field, Form, f, form, Select, Table } from '../../console/kit.tsx';
import { GrantsPanel, grantRoutes, grantsOf } from './grants.tsx';
import { type IamShell, iamPage } from './shell.tsx';

function GroupRows({ c, shell, groups }: { c: AppContext; shell: IamShell; groups: Group[] }) {
  return (
    <tbody>
      {groups.length === 0 && <Empty cols={3}>No groups.</Empty>}
      {groups.map((g) => (
        <tr>
          <th scope="row">
            <a href={`${shell.base}/groups/${g.id}`}>{g.name}</a>
          </th>
          <td>{g.description}</td>
          <td>
            <ActionButton c={c} action={`${shell.base}/groups/${g.id}/delete`} label="Delete" danger title={`Delete ${g.name}`} />
          </td>
        </tr>
      ))}
    </tbody>
  );
}

async function showList(c: AppContext, shell: IamShell, failure?: Failure) {
  const groups = await listGroups(identityOf(c));
  return iamPage(
    c,
    shell,
    '/groups',
    'Groups',
    <>
      <Table caption="Groups of the account" head={['Name', 'Description', 'Actions']}>
        <GroupRows c={c} shell={shell} groups={groups} />
      </Table>
      <h2>Create a group</h2>
      <Form c={c} action={`${shell.base}/groups`} submit="Create group" failure={failure}>
        <Field name="name" label="Group name" required failure={failure} />
        <Field name="description" label="Description" failure={failure} />
      </Form>
    </>,
  );
}

function Members(props: { c: AppContext; shell: IamShell; group: Group; members: User[]; others?: User[]; failure?: Failure }) {
  const { c, shell, group, failure } = props;
  const action = `${shell.base}/groups/${group.id}/members`;
  return (
    <>
      <Table caption={`Members of ${group.name}`} head={['User', 'Actions']}>
        <tbody>
          {props.members.length === 0 && <Empty cols={2}>No members.</Empty>}
          {props.members.map((u) => (
            <tr>
              <th scope="row">
                <a href={`${shell.base}/users/${u.id}`}>{u.name}</a>
              </th>
              <td>
                <ActionButton
                  c={c}
                  action={`${action}/${u.id}/remove`}
                  label="Remove"
                  danger
                  title={`Remove ${u.name} from ${group.name}`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {props.others && props.others.length > 0 && (
        <Form c={c} action={action} submit="Add member" failure={failure} label="Add a member">
          <Select name="user" label="User" failure={failure} options={props.others.map((u) => ({ value: u.id, label: u.name }))} />
        </Form>
      )}
    </>
  );
}

/** A group's page: members and roles. */
async function showGroup(c: AppContext, shell: IamShell, failure?: Failure) {
  const caller = identityOf(c);
  const { group, users } = await membersOf(caller, c.req.param('group_id') ?? '');
  const mayAdd = (await allows(c.env, caller.principal, 'iam:groups:update')) && (await allows(c.env, caller.principal, 'iam:users:list'));
  const others = mayAdd
    ? (await listUsers(caller, { domainId: group.domainId })).filter((u) => !users.some((m) => m.id === u.id))
    : undefined;
  const which = (field: string) => (failure?.field === field ? failure : undefined);
  return iamPage(
    c,
    shell,
    '/groups',
    `Group ${group.name}`,
    <>
      <dl class="facts">
        <dt>Group ID</dt>
        <dd>
          <code>{group.id}</code>
        </dd>
        <dt>Description</dt>
        <dd>{group.description || 'none'}</dd>
      </dl>
      <h2>Members</h2>
      <Members c={c} shell={shell} group={group} members={users} others={others} failure={which('user')} />
      <h2>Roles</h2>
      <GrantsPanel
        c={c}
        action={`${shell.base}/groups/${group.id}/roles`}
        view={await grantsOf(c, 'group', group.id)}
        failure={which('role')}
        who={group.name}
      />
    </>,
  );
}

/** Registers the groups' pages and forms. */
export function groupRoutes(r: Hono<AppEnv>, shell: IamShell): void {
  const list = `${shell.base}/groups`;
  r.get('/groups', act('iam:groups:list'), (c) => showList(c, shell));
  r.post(
    '/groups',
    act('iam:groups:create'),
    form(
      z.object({
        name: f.text('the group name').pipe(z.string().max(64, 'The name is at most 64 characters.')),
        description: f.optional(),
      }),
      async (c, g) => {
        const group = await createGroup(identityOf(c), g);
        return done(c, list, `The group ${group.name} is created.`);
      },
      (c, failure) => showList(c, shell, failure.field ? failure : { ...failure, field: 'name' }),
    ),
  );
  r.get('/groups/:group_id', act('iam:groups:get'), (c) => showGroup(c, shell));
  r.post('/groups/:group_id/delete', act('iam:groups:delete'), async (c) => {
    const { group } = await membersOf(identityOf(c), c.req.param('group_id'));
    await deleteGroup(identityOf(c), group.id);
    return done(c, list, `The group ${group.name} is deleted; its members' sessions have ended.`);
  });
  // A refusal that names no field is shown next to the form's main field: the page has two forms.
  const at = (field: string) => (c: AppContext, failure: Failure) => showGroup(c, shell, failure.field ? failure : { ...failure, field });
  r.post(
    '/groups/:group_id/members',
    act('iam:groups:update'),
    form(
      z.object({ user: z.string({ error: 'Choose a user.' }).min(1, 'Choose a user.') }),
      async (c, input) => {
        await addMember(identityOf(c), c.req.param('group_id') ?? '', input.user);
        return done(
          c,
          `${list}/${c.req.param('group_id')}`,
          'The user is added to the group. Its roles apply from the user’s next sign-in.',
        );
      },
      at('user'),
    ),
  );
  r.post('/groups/:group_id/members/:user_id/remove', act('iam:groups:update'), async (c) => {
    await removeMember(identityOf(c), c.req.param('group_id'), c.req.param('user_id'));
    return done(c, `${list}/${c.req.param('group_id')}`, 'The user is removed from the group; its sessions have ended.');
  });
  grantRoutes(r, shell, 'group', at('role'));
}
