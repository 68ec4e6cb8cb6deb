/**
 * Reads write nothing: a project's `default` security group exists from the TenantDO's start, so a list finds
 * it (the same id every time) and never has to create it.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import { newAccount, tokenFor } from '../fixtures.ts';
import { neutron } from '../request.ts';

const bindings = env as unknown as Env;

describe('the default security group', () => {
  it('is listed with its four rules from the first read, with the same id on every read', async () => {
    const account = await newAccount('reads');
    const token = await tokenFor(account);
    const first = await neutron(token, 'GET', '/security-groups');
    expect(first.body.security_groups.map((g: { name: string }) => g.name)).toEqual(['default']);
    expect(first.body.security_groups[0].security_group_rules).toHaveLength(4);
    const again = await neutron(token, 'GET', '/security-groups');
    expect(again.body.security_groups[0].id).toBe(first.body.security_groups[0].id);
  });

  it('is not written by a read: a list over a project without one answers none', async () => {
    const account = await newAccount('reads');
    const tenant = bindings.TENANT.getByName(account.projects[0]!.id);
    const listed = await runInDurableObject(tenant, (instance, state) => {
      state.storage.sql.exec('DELETE FROM security_group_rules');
      state.storage.sql.exec('DELETE FROM security_groups');
      return instance.list(['security_groups', 'security_group_rules']);
    });
    expect(listed).toEqual({ security_groups: [], security_group_rules: [] });
  });
});
