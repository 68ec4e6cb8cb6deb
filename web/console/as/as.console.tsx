/**
 * The Console's Auto Scaling section, mounted at `/console/as`: the scaling groups (live list), a group's page (its
 * instances and activity log, live while it scales; its policies, each runnable now; its expected number of
 * instances). Each route is guarded by the action of its API route and calls Auto Scaling's use cases.
 */
import { z } from 'zod';
import { policyGroup, runPolicy, scalingGroup, setDesired } from '../../../workers/as/usecases/groups.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { consoleRouter, done, f, form } from '../kit.tsx';
import { renderGroup, renderGroupLive, renderGroupRows, renderGroups } from './groups.page.tsx';

export const asConsole = consoleRouter();

asConsole.get('/', act('as:groups:list'), (c) => c.redirect('/console/as/groups', 303));
asConsole.get('/groups', act('as:groups:list'), (c) => renderGroups(c));
asConsole.get('/groups/rows', act('as:groups:list'), (c) => renderGroupRows(c));
asConsole.get('/groups/:scaling_group_id', act('as:groups:list'), (c) => renderGroup(c));
asConsole.get('/groups/:scaling_group_id/live', act('as:groups:list'), (c) => renderGroupLive(c));

asConsole.post(
  '/groups/:scaling_group_id/desired',
  act('as:groups:update'),
  form(
    z.object({ desired: f.int('the expected number of instances', 0, 300) }),
    async (c, v) => {
      const id = c.req.param('scaling_group_id')!;
      await setDesired(callerOf(c), id, v.desired);
      return done(c, `/console/as/groups/${id}`, `The group now expects ${v.desired} instance(s).`);
    },
    (c, failure) => renderGroup(c, { ...failure, field: failure.field ?? 'desired' }),
  ),
);

asConsole.post(
  '/policies/:scaling_policy_id/execute',
  act('as:policies:execute'),
  form(
    z.object({}),
    async (c) => {
      const groupId = await runPolicy(callerOf(c), c.req.param('scaling_policy_id')!);
      const { group } = await scalingGroup(callerOf(c), groupId);
      return done(c, `/console/as/groups/${groupId}`, `The policy ran: the group expects ${group.desired} instance(s).`);
    },
    async (c, failure) => renderGroup(c, failure, await policyGroup(callerOf(c), c.req.param('scaling_policy_id')!)),
  ),
);
