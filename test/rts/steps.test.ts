import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import { createUser, newAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';
import { createStack, type HeatProject, heat, heatProject, settled } from './fixtures.ts';

const bindings = env as unknown as Env;
const NET = { heat_template_version: '2016-04-08', resources: { net: { type: 'OS::Neutron::Net', properties: { name: 'once' } } } };

describe('RTS steps', () => {
  it('does nothing twice when a step is delivered again: no second resource, no new event', async () => {
    const p = await heatProject('redeliver');
    const id = await createStack(p, 'once', NET);
    expect((await settled(p, 'once', id)).stack_status).toBe('CREATE_COMPLETE');
    const events = (await heat(p, 'GET', `/stacks/once/${id}/events`)).body.events.length;
    await bindings.RTS_QUEUE.sendBatch(
      (['create', 'check'] as const).map((step) => ({ body: { kind: 'rts.step' as const, stackId: id, resource: 'net', step } })),
    );
    // A claim of a step that is done answers nothing: the consumer acks it and makes nothing.
    const claimed = await bindings.STACK.getByName(id).claim('net', 'create');
    expect(claimed).toEqual({ ok: null });
    await new Promise((r) => setTimeout(r, 1000));
    const nets = (await send(p.token, 'GET', '/vpc/v2.0/networks')).body.networks.filter((n: { name: string }) => n.name === 'once');
    expect(nets).toHaveLength(1);
    expect((await heat(p, 'GET', `/stacks/once/${id}/events`)).body.events).toHaveLength(events);
  });

  it("runs each step with the owner's own rights: a user who may make stacks but not networks gets the network refused", async () => {
    const account = await newAccount('rights');
    const admin = await tokenFor(account, { scope: { project: { id: account.projects[0]!.id } } });
    const user = await createUser(account, admin, { role: 'rts_admin' });
    const token = await tokenFor(account, {
      user: user.name,
      password: user.password,
      scope: { project: { id: account.projects[0]!.id } },
    });
    const p: HeatProject = { token, project: account.projects[0]!.id };
    const template = {
      heat_template_version: '2016-04-08',
      resources: {
        secret: { type: 'OS::Heat::RandomString' },
        net: { type: 'OS::Neutron::Net' },
      },
    };
    const id = await createStack(p, 'limited', template);
    const s = await settled(p, 'limited', id);
    expect(s.stack_status).toBe('CREATE_FAILED');
    expect(s.stack_status_reason).toBe("Resource CREATE failed: Forbidden: Policy doesn't allow vpc:networks:create to be performed.");
    const nets = await send(admin, 'GET', '/vpc/v2.0/networks');
    expect(nets.body.networks.filter((n: { name: string }) => n.name.startsWith('limited-'))).toEqual([]);
  });
});
