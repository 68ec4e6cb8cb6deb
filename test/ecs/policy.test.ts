/** Server actions are authorized one operation at a time: a policy naming one action allows that one only. */
import { describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../fixtures.ts';
import { call, json, nova } from '../request.ts';
import { activeServer, computeProject, waitStatus } from './fixtures.ts';

describe('server actions by policy', () => {
  it('a custom policy with ecs:servers:stop stops a server but may not reboot, lock or read its console', async () => {
    const p = await computeProject('policy');
    const s = await activeServer(p);
    const policy = { Version: '1.1', Statement: [{ Effect: 'Allow', Action: ['ecs:servers:stop', 'ecs:servers:get'] }] };
    const created = await json(
      await call('/iam/v3.0/OS-ROLE/roles', {
        method: 'POST',
        token: p.token,
        json: { role: { display_name: 'stopper', type: 'XA', policy } },
      }),
    );
    const user = await createUser(p.account, p.token);
    const grant = await call(`/iam/v3/projects/${p.project}/users/${user.id}/roles/${created.role.id}`, { method: 'PUT', token: p.token });
    expect(grant.status).toBe(204);
    const token = await tokenFor(p.account, { user: user.name, password: user.password });
    for (const [body, action] of [
      [{ reboot: { type: 'SOFT' } }, 'ecs:servers:reboot'],
      [{ lock: null }, 'ecs:servers:lock'],
      [{ 'os-getConsoleOutput': {} }, 'ecs:servers:getConsoleOutput'],
    ] as const) {
      const res = await nova(token, p.project, 'POST', `/servers/${s.id}/action`, body);
      expect(res.status).toBe(403);
      expect(res.body.forbidden.message).toContain(action);
    }
    // A body that names no known action needs one of the server actions, and then is refused as malformed.
    expect((await nova(token, p.project, 'POST', `/servers/${s.id}/action`, { shelve: null })).status).toBe(400);
    expect((await nova(token, p.project, 'POST', `/servers/${s.id}/action`, { 'os-stop': null })).status).toBe(202);
    await waitStatus(p, s.id, 'SHUTOFF');
  });
});
