/**
 * The roles a user or a group holds, on the whole account or on one project, with a form to grant one (a system
 * role, or a custom role or policy of the account) and a button to take each away. Shown on a user's and on a
 * group's page; the routes are the same for both.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Project, Role } from '../../../schema/global.ts';
import { act, allows } from '../../../workers/auth/middleware.ts';
import { profile } from '../../../workers/iam/usecases/account.ts';
import {
  type ActorType,
  assignmentNames,
  type Grant,
  grantRole,
  listAssignments,
  revokeRole,
} from '../../../workers/iam/usecases/assignments.ts';
import { grantableRoles } from '../../../workers/iam/usecases/policies.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { ActionButton, done, Empty, type Failure, Form, form, Select, Table } from '../../console/kit.tsx';
import type { IamShell } from './shell.tsx';

/** What the grants panel shows: the actor's grants with names, and what may be granted where. */
export interface GrantsView {
  rows: { roleId: string; role: string; scope: string; scopeValue: string }[];
  roles: Role[];
  projects: Project[];
}

/** A grant's target as a form value: `domain` (the whole account) or `project:<id>`. */
const scopeValue = (g: { targetType: string; targetId: string }) => (g.targetType === 'domain' ? 'domain' : `project:${g.targetId}`);

/** The grants panel's data, or undefined when the caller may not read role assignments. */
export async function grantsOf(c: AppContext, actorType: ActorType, actorId: string): Promise<GrantsView | undefined> {
  const caller = identityOf(c);
  if (!(await allows(c.env, caller.principal, 'iam:assignments:list'))) return undefined;
  const rows = await listAssignments(caller, actorType === 'user' ? { userId: actorId } : { groupId: actorId });
  const names = await assignmentNames(caller, rows);
  const { projects } = await profile(caller);
  return {
    rows: rows.map((r) => ({
      roleId: r.roleId,
      role: names.roles.get(r.roleId)?.name ?? r.roleId,
      scope: r.targetType === 'domain' ? 'The whole account' : `Project ${names.projects.get(r.targetId)?.name ?? r.targetId}`,
      scopeValue: scopeValue(r),
    })),
    roles: await grantableRoles(caller),
    projects,
  };
}

/** The grants panel of a user's or a group's page. */
export function GrantsPanel(props: { c: AppContext; action: string; view?: GrantsView; failure?: Failure; who: string }) {
  const { c, view, failure } = props;
  if (!view) return <p>You may not see the roles granted here (the policy action iam:assignments:list).</p>;
  return (
    <>
      <Table caption={`Roles of ${props.who}`} head={['Role', 'Where', 'Actions']}>
        <tbody>
          {view.rows.length === 0 && <Empty cols={3}>No roles granted.</Empty>}
          {view.rows.map((g) => (
            <tr>
              <th scope="row">{g.role}</th>
              <td>{g.scope}</td>
              <td>
                <ActionButton
                  c={c}
                  action={`${props.action}/revoke`}
                  label="Revoke"
                  danger
                  fields={{ role: g.roleId, scope: g.scopeValue }}
                  title={`Revoke ${g.role} (${g.scope})`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h3>Grant a role</h3>
      <Form c={c} action={props.action} submit="Grant role" failure={failure} label="Grant a role">
        <Select
          name="role"
          label="Role or policy"
          required
          failure={failure}
          options={view.roles.map((r) => ({ value: r.id, label: r.domainId ? `${r.name} (custom)` : `${r.name}: ${r.description}` }))}
        />
        <Select
          name="scope"
          label="Where"
          required
          failure={failure}
          options={[
            { value: 'domain', label: 'The whole account' },
            ...view.projects.map((p) => ({ value: `project:${p.id}`, label: `Project ${p.name}` })),
          ]}
        />
      </Form>
    </>
  );
}

const grantForm = z.object({
  role: z.string({ error: 'Choose a role.' }).min(1, 'Choose a role.'),
  scope: z.string({ error: 'Choose where.' }).regex(/^(domain|project:[0-9a-f]+)$/, 'Choose the account or one of its projects.'),
});

/** The grant a form names for an actor (the account is the caller's own). */
function grantOf(c: AppContext, actorType: ActorType, actorId: string, scope: string): Grant {
  const [kind, id] = scope.split(':');
  return kind === 'domain'
    ? { actorType, actorId, targetType: 'domain', targetId: c.var.principal.domainId }
    : { actorType, actorId, targetType: 'project', targetId: id ?? '' };
}

/**
 * Registers the grant and revoke forms of `/<actor>s/:<actor>_id/roles`, which return to the actor's page;
 * `rerender` shows that page with a refused grant's failure.
 */
export function grantRoutes(
  r: Hono<AppEnv>,
  shell: IamShell,
  actorType: ActorType,
  rerender: (c: AppContext, failure: Failure) => Response | Promise<Response>,
): void {
  const param = `${actorType}_id`;
  const path = `/${actorType}s/:${param}/roles`;
  const back = (c: AppContext) => `${shell.base}/${actorType}s/${c.req.param(param)}`;
  const forms = [
    [path, 'iam:assignments:create', grantRole, 'The role is granted. It applies from the holder’s next sign-in.'],
    [`${path}/revoke`, 'iam:assignments:delete', revokeRole, 'The role is revoked.'],
  ] as const;
  for (const [route, action, useCase, message] of forms) {
    r.post(
      route,
      act(action),
      form(
        grantForm,
        async (c, input) => {
          await useCase(identityOf(c), grantOf(c, actorType, c.req.param(param) ?? '', input.scope), input.role);
          return done(c, back(c), message);
        },
        rerender,
      ),
    );
  }
}
