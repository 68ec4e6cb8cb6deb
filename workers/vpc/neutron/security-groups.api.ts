/** Neutron `/v2.0/security-groups` and `/v2.0/security-group-rules`. */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import { type AppContext, router } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { projectScope } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import {
  addRule,
  createSecurityGroup,
  deleteSecurityGroup,
  listSecurityGroups,
  removeRule,
  updateSecurityGroup,
} from '../usecases/security-groups.ts';
import { neutronFields, neutronList } from './list.ts';
import { ownerFields, requireOwnProject } from './owner.ts';
import { ruleView, securityGroupView } from './views.ts';

const groupFields = { name: z.string().max(255).optional(), description: z.string().max(255).optional() };
const createGroup = z.object({
  security_group: z.object({ ...groupFields, ...ownerFields, stateful: z.literal(true).optional() }).strict(),
});
const updateGroup = z.object({ security_group: z.object(groupFields).strict() });
const port = z.number().int().nullable().optional();
const createRule = z.object({
  security_group_rule: z
    .object({
      ...ownerFields,
      security_group_id: z.string().min(1),
      direction: z.enum(['ingress', 'egress']),
      ethertype: z.enum(['IPv4', 'IPv6']).optional(),
      protocol: z
        .union([z.string(), z.number().int().min(0).max(255)])
        .nullable()
        .optional(),
      port_range_min: port,
      port_range_max: port,
      remote_ip_prefix: z.string().nullable().optional(),
      remote_group_id: z.string().nullable().optional(),
      description: z.string().max(255).optional(),
    })
    .strict(),
});

async function groupItems(c: AppContext) {
  const { projectId } = projectScope(c);
  const { groups, rules } = await listSecurityGroups(callerOf(c));
  return groups.map((g) => securityGroupView(projectId, g, rules));
}

export const securityGroupRoutes = router();

securityGroupRoutes.get('/security-groups', act('vpc:securityGroups:list'), async (c) =>
  c.json(neutronList(c, 'security_groups', await groupItems(c))),
);

securityGroupRoutes.get('/security-groups/:id', act('vpc:securityGroups:get'), async (c) => {
  const found = (await groupItems(c)).find((g) => g.id === c.req.param('id'));
  if (!found) throw notFound(`Security group ${c.req.param('id')} does not exist`, 'SecurityGroupNotFound');
  return c.json({ security_group: neutronFields(c, found) });
});

securityGroupRoutes.post('/security-groups', act('vpc:securityGroups:create'), async (c) => {
  const { security_group: g } = await jsonBody(c, createGroup);
  requireOwnProject(c, g);
  const { projectId } = projectScope(c);
  const { group, rules } = await createSecurityGroup(callerOf(c), { name: g.name ?? '', description: g.description });
  return c.json({ security_group: securityGroupView(projectId, group, rules) }, 201);
});

securityGroupRoutes.put('/security-groups/:id', act('vpc:securityGroups:update'), async (c) => {
  const { security_group: g } = await jsonBody(c, updateGroup);
  const { group, rules } = await updateSecurityGroup(callerOf(c), c.req.param('id'), g);
  return c.json({ security_group: securityGroupView(projectScope(c).projectId, group, rules) });
});

securityGroupRoutes.delete('/security-groups/:id', act('vpc:securityGroups:delete'), async (c) => {
  await deleteSecurityGroup(callerOf(c), c.req.param('id'));
  return c.body(null, 204);
});

async function ruleItems(c: AppContext) {
  const { projectId } = projectScope(c);
  const { rules } = await listSecurityGroups(callerOf(c));
  return rules.map((r) => ruleView(projectId, r));
}

securityGroupRoutes.get('/security-group-rules', act('vpc:securityGroups:list'), async (c) =>
  c.json(neutronList(c, 'security_group_rules', await ruleItems(c))),
);

securityGroupRoutes.get('/security-group-rules/:id', act('vpc:securityGroups:get'), async (c) => {
  const found = (await ruleItems(c)).find((r) => r.id === c.req.param('id'));
  if (!found) throw notFound(`Security group rule ${c.req.param('id')} does not exist`, 'SecurityGroupRuleNotFound');
  return c.json({ security_group_rule: neutronFields(c, found) });
});

securityGroupRoutes.post('/security-group-rules', act('vpc:securityGroups:update'), async (c) => {
  const { security_group_rule: r } = await jsonBody(c, createRule);
  requireOwnProject(c, r);
  const row = await addRule(callerOf(c), {
    securityGroupId: r.security_group_id,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol === undefined || r.protocol === null ? null : String(r.protocol),
    portRangeMin: r.port_range_min,
    portRangeMax: r.port_range_max,
    remoteIpPrefix: r.remote_ip_prefix,
    remoteGroupId: r.remote_group_id,
    description: r.description,
  });
  return c.json({ security_group_rule: ruleView(projectScope(c).projectId, row) }, 201);
});

securityGroupRoutes.delete('/security-group-rules/:id', act('vpc:securityGroups:update'), async (c) => {
  await removeRule(callerOf(c), c.req.param('id'));
  return c.body(null, 204);
});
