/**
 * The Console's Auto Scaling section as a user sees it: a group made through the API appears in the live list, its
 * page shows its instances and activity, the expected-instances form moves the group (and refuses a count past its
 * maximum next to the field), a policy runs from its button, and another tenant's session is refused the page.
 */
import { describe, expect, it } from 'vitest';
import { signIn } from '../web/console.ts';
import { fieldError, follow } from '../web/console-pages.ts';
import { as, createGroup, expectOk, scalingTenant, waitInService } from './fixtures.ts';

describe('the Console Auto Scaling section', () => {
  it('lists groups, shows one with its instances, sets its expected count and runs its policies', async () => {
    const t = await scalingTenant();
    const groupId = await createGroup(t, { scaling_group_name: 'console-web', desire_instance_number: 1, max_instance_number: 2 });
    await waitInService(t, groupId, 1);
    const s = await signIn(t.account);
    const rows = await s.page('/console/as/groups/rows');
    expect(rows.html).toContain(`<a href="/console/as/groups/${groupId}">console-web</a>`);
    expect(rows.html).toContain('<td>1 / 1</td>');
    const page = await s.page(`/console/as/groups/${groupId}`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/console-web-[a-z0-9]{4}/);
    expect(page.html).toContain('INSERVICE');

    const tooMany = await s.post(`/console/as/groups/${groupId}/desired`, { desired: '5' });
    expect(tooMany.status).toBe(400);
    expect(fieldError(tooMany, 'desired')).toMatch(/between the minimum \(0\) and the maximum \(2\)/);
    const set = await s.post(`/console/as/groups/${groupId}/desired`, { desired: '2' });
    expect(await follow(s, set)).toContain('The group now expects 2 instance(s).');
    await waitInService(t, groupId, 2);
    expect((await s.page(`/console/as/groups/${groupId}/live`)).html).toContain('2 instance(s), 2 expected.');

    const policy = await expectOk(
      as(t, 'POST', '/scaling_policy', {
        scaling_policy_name: 'to-one',
        scaling_group_id: groupId,
        scaling_policy_type: 'RECURRENCE',
        scheduled_policy: { launch_time: '03:00', recurrence_type: 'Daily' },
        scaling_policy_action: { operation: 'SET', instance_number: 1 },
      }),
    );
    const ran = await s.post(`/console/as/policies/${policy.scaling_policy_id}/execute`, {});
    expect(await follow(s, ran)).toContain('The policy ran: the group expects 1 instance(s).');
    await waitInService(t, groupId, 1);

    const other = await signIn((await scalingTenant()).account);
    expect((await other.page(`/console/as/groups/${groupId}`)).status).toBe(404);
    await expectOk(as(t, 'DELETE', `/scaling_group/${groupId}?force_delete=yes`), 204);
  });
});
