/**
 * Security groups and their rules, the use cases behind Neutron, the native API and the Console. The TenantDO
 * makes the project's default group on first sight and checks every rule; listing both keeps that true here.
 */
import type { RuleInput } from '../../../durable/vpc/security-groups.ts';
import type { SecurityGroup, SecurityGroupRule } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';

/** The project's security groups with every rule (a view picks each group's own). */
export interface GroupsAndRules {
  groups: SecurityGroup[];
  rules: SecurityGroupRule[];
}

/** What a door asks of a new security group. */
export interface GroupRequest {
  name: string;
  description?: string;
  vpcId?: string;
}

/** The project's security groups and rules (the default group among them). */
export async function listSecurityGroups(caller: Caller): Promise<GroupsAndRules> {
  const { security_groups, security_group_rules } = await tenantOf(caller).list(['security_groups', 'security_group_rules']);
  return { groups: security_groups, rules: security_group_rules };
}

/** Creates a security group with its default egress rules; answers it with the project's rules. */
export async function createSecurityGroup(
  caller: Caller,
  req: GroupRequest,
): Promise<{ group: SecurityGroup; rules: SecurityGroupRule[] }> {
  const t = tenantOf(caller);
  const group = unwrap(await t.createSecurityGroup({ id: crypto.randomUUID(), ...req }));
  const { security_group_rules } = await t.list(['security_group_rules']);
  return { group, rules: security_group_rules };
}

/** Renames or redescribes a security group (never the default one); answers it with the project's rules. */
export async function updateSecurityGroup(
  caller: Caller,
  id: string,
  patch: { name?: string; description?: string },
): Promise<{ group: SecurityGroup; rules: SecurityGroupRule[] }> {
  const t = tenantOf(caller);
  const group = unwrap(await t.updateSecurityGroup(id, patch));
  const { security_group_rules } = await t.list(['security_group_rules']);
  return { group, rules: security_group_rules };
}

/** Deletes a security group no port and no other group's rule uses (never the default one). */
export async function deleteSecurityGroup(caller: Caller, id: string): Promise<void> {
  unwrap(await tenantOf(caller).deleteSecurityGroup(id));
}

/** Adds a rule to a group (protocol, ports and remote checked by the TenantDO; a duplicate refused). */
export async function addRule(caller: Caller, input: RuleInput): Promise<SecurityGroupRule> {
  return unwrap(await tenantOf(caller).createRule(input));
}

/** Removes a rule from its group. */
export async function removeRule(caller: Caller, id: string): Promise<void> {
  unwrap(await tenantOf(caller).deleteRule(id));
}
