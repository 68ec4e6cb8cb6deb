/**
 * Native `/v1/{project_id}/security-groups` and `/security-group-rules`: the same groups and rules Neutron shows,
 * authorised by the same actions whichever API is used.
 */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { projectScope } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { addRule, createSecurityGroup, deleteSecurityGroup, listSecurityGroups, removeRule } from '../usecases/security-groups.ts';
import { nativeRouter } from './errors.ts';
import { description, enterpriseProject, name } from './fields.ts';
import { nativeList } from './list.ts';
import { securityGroupRuleView, securityGroupView } from './views.ts';

const createGroup = z
  .object({
    security_group: z
      .object({
        name: name.min(1),
        description: description.optional(),
        vpc_id: z.string().min(1).optional(),
        enterprise_project_id: enterpriseProject,
      })
      .strict(),
  })
  .strict();
const portNumber = z.number().int().nullable().optional();
const createRule = z
  .object({
    security_group_rule: z
      .object({
        security_group_id: z.string().min(1),
        direction: z.enum(['ingress', 'egress']),
        ethertype: z.enum(['IPv4', 'IPv6']).optional(),
        protocol: z.string().nullable().optional(),
        port_range_min: portNumber,
        port_range_max: portNumber,
        remote_ip_prefix: z.string().nullable().optional(),
        remote_group_id: z.string().nullable().optional(),
        description: description.optional(),
      })
      .strict(),
  })
  .strict();

async function groupItems(c: AppContext) {
  const { projectId } = projectScope(c);
  const { groups, rules } = await listSecurityGroups(callerOf(c));
  return groups.map((g) => securityGroupView(projectId, g, rules));
}

async function ruleItems(c: AppContext) {
  const { projectId } = projectScope(c);
  // Listing the groups too makes the project's default group, whose rules then show.
  const { rules } = await listSecurityGroups(callerOf(c));
  return rules.map((r) => securityGroupRuleView(projectId, r));
}

export const securityGroupRoutes = nativeRouter('security-groups');

securityGroupRoutes.post('/security-groups', act('vpc:securityGroups:create'), async (c) => {
  const { projectId } = projectScope(c);
  const { security_group: g } = await jsonBody(c, createGroup);
  const { group, rules } = await createSecurityGroup(callerOf(c), { name: g.name, description: g.description, vpcId: g.vpc_id });
  return c.json({ security_group: securityGroupView(projectId, group, rules) });
});

securityGroupRoutes.get('/security-groups', act('vpc:securityGroups:list'), async (c) =>
  c.json({ security_groups: nativeList(c, await groupItems(c), ['vpc_id']) }),
);

securityGroupRoutes.get('/security-groups/:security_group_id', act('vpc:securityGroups:get'), async (c) => {
  const id = c.req.param('security_group_id');
  const found = (await groupItems(c)).find((g) => g.id === id);
  if (!found) throw notFound(`Security group ${id} could not be found.`, 'SecurityGroupNotFound');
  return c.json({ security_group: found });
});

securityGroupRoutes.delete('/security-groups/:security_group_id', act('vpc:securityGroups:delete'), async (c) => {
  await deleteSecurityGroup(callerOf(c), c.req.param('security_group_id'));
  return c.body(null, 204);
});

// Rules change their group, so they take the group's actions, as the Neutron routes do.
securityGroupRoutes.post('/security-group-rules', act('vpc:securityGroups:update'), async (c) => {
  const { projectId } = projectScope(c);
  const { security_group_rule: r } = await jsonBody(c, createRule);
  const row = await addRule(callerOf(c), {
    securityGroupId: r.security_group_id,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol,
    portRangeMin: r.port_range_min,
    portRangeMax: r.port_range_max,
    remoteIpPrefix: r.remote_ip_prefix,
    remoteGroupId: r.remote_group_id,
    description: r.description,
  });
  return c.json({ security_group_rule: securityGroupRuleView(projectId, row) });
});

securityGroupRoutes.get('/security-group-rules', act('vpc:securityGroups:list'), async (c) =>
  c.json({ security_group_rules: nativeList(c, await ruleItems(c), ['security_group_id']) }),
);

securityGroupRoutes.get('/security-group-rules/:rule_id', act('vpc:securityGroups:get'), async (c) => {
  const id = c.req.param('rule_id');
  const found = (await ruleItems(c)).find((r) => r.id === id);
  if (!found) throw notFound(`Security group rule ${id} could not be found.`, 'SecurityGroupRuleNotFound');
  return c.json({ security_group_rule: found });
});

securityGroupRoutes.delete('/security-group-rules/:rule_id', act('vpc:securityGroups:update'), async (c) => {
  await removeRule(callerOf(c), c.req.param('rule_id'));
  return c.body(null, 204);
});
