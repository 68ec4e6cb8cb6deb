/**
 * Nova's security group proxy, read side (`GET /os-security-groups`, `/os-security-groups/{id}`, as Nova offers it
 * up to 2.35): the project's Neutron groups in Nova's shape. The openstack CLI finds a group here before it asks
 * `addSecurityGroup` / `removeSecurityGroup`; changes to groups go through Neutron, as Nova proxies them there.
 */
import type { SecurityGroup, SecurityGroupRule } from '../../schema/tenant.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { notFound } from '../lib/errors.ts';
import { listSecurityGroups } from '../vpc/usecases/security-groups.ts';

/** Nova's rule: ingress only (Nova's model has no egress rules), with `ip_range` or the source `group`. */
function ruleView(r: SecurityGroupRule, groups: SecurityGroup[]) {
  const source = r.remoteGroupId ? groups.find((g) => g.id === r.remoteGroupId) : undefined;
  return {
    id: r.id,
    parent_group_id: r.securityGroupId,
    ip_protocol: r.protocol,
    from_port: r.portRangeMin ?? (r.protocol ? -1 : null),
    to_port: r.portRangeMax ?? (r.protocol ? -1 : null),
    ip_range: r.remoteIpPrefix ? { cidr: r.remoteIpPrefix } : {},
    group: source ? { name: source.name, tenant_id: '' } : {},
  };
}

function groupView(projectId: string, g: SecurityGroup, groups: SecurityGroup[], rules: SecurityGroupRule[]) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    tenant_id: projectId,
    rules: rules.filter((r) => r.securityGroupId === g.id && r.direction === 'ingress').map((r) => ruleView(r, groups)),
  };
}

export const securityGroupRoutes = router();

securityGroupRoutes.get('/os-security-groups', act('ecs:securityGroups:list'), async (c) => {
  const caller = callerOf(c);
  const { groups, rules } = await listSecurityGroups(caller);
  return c.json({ security_groups: groups.map((g) => groupView(caller.projectId, g, groups, rules)) });
});

securityGroupRoutes.get('/os-security-groups/:id', act('ecs:securityGroups:list'), async (c) => {
  const caller = callerOf(c);
  const { groups, rules } = await listSecurityGroups(caller);
  const g = groups.find((x) => x.id === c.req.param('id'));
  if (!g) throw notFound(`Security group ${c.req.param('id')} not found.`);
  return c.json({ security_group: groupView(caller.projectId, g, groups, rules) });
});
