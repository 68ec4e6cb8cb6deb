/** The profile: the signed-in user's account (domain), itself, its groups and the account's projects. */
import type { Hono } from 'hono';
import { authenticated } from '../../../workers/auth/middleware.ts';
import { profile } from '../../../workers/iam/usecases/account.ts';
import type { AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { Table } from '../../console/kit.tsx';
import { type IamShell, iamPage } from './shell.tsx';

/** Registers the profile page at the shell's base. */
export function profileRoutes(r: Hono<AppEnv>, shell: IamShell): void {
  r.get('/', authenticated(), async (c) => {
    const { domain, user, groups, projects } = await profile(identityOf(c));
    return iamPage(
      c,
      shell,
      '',
      'Profile',
      <>
        <dl class="facts">
          <dt>Account</dt>
          <dd>{domain.name}</dd>
          <dt>Account ID</dt>
          <dd>
            <code>{domain.id}</code>
          </dd>
          <dt>User</dt>
          <dd>{user.name}</dd>
          <dt>User ID</dt>
          <dd>
            <code>{user.id}</code>
          </dd>
          <dt>Email</dt>
          <dd>{user.email ?? 'none'}</dd>
          <dt>Groups</dt>
          <dd>{groups.length ? groups.map((g) => g.name).join(', ') : 'none'}</dd>
        </dl>
        <Table caption="Projects of the account (one per region)" head={['Project', 'Project ID', 'Description']}>
          <tbody>
            {projects.map((p) => (
              <tr>
                <th scope="row">{p.name}</th>
                <td>
                  <code>{p.id}</code>
                </td>
                <td>{p.description}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </>,
    );
  });
}
