/** Neutron `/v2.0/security-groups` and `/v2.0/security-group-rules`. */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import { type AppContext, router } from '../../lib/app.ts';
import { notFound } from '../../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
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
  const { security_groups, security_group_rules } = await tenant(c).list(['security_groups', 'security_group_rules']);
  return security_groups.map((g) => securityGroupView(projectId, g, security_group_rules));
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
  const row = unwrap(await tenant(c).createSecurityGroup({ id: crypto.randomUUID(), name: g.name ?? '', description: g.description }));
  const { security_group_rules } = await tenant(c).list(['security_group_rules']);
  return c.json({ security_group: securityGroupView(projectId, row, security_group_rules) }, 201);
});

securityGroupRoutes.put('/security-groups/:id', act('vpc:securityGroups:update'), async (c) => {
  const { security_group: g } = await jsonBody(c, updateGroup);
  const row = unwrap(await tenant(c).updateSecurityGroup(c.req.param('id'), g));
  const { security_group_rules } = await tenant(c).list(['security_group_rules']);
  return c.json({ security_group: securityGroupView(projectScope(c).projectId, row, security_group_rules) });
});

securityGroupRoutes.delete('/security-groups/:id', act('vpc:securityGroups:delete'), async (c) => {
  unwrap(await tenant(c).deleteSecurityGroup(c.req.param('id')));
  return c.body(null, 204);
});

async function ruleItems(c: AppContext) {
  const { projectId } = projectScope(c);
  const { security_group_rules } = await tenant(c).list(['security_groups', 'security_group_rules']);
  return security_group_rules.map((r) => ruleView(projectId, r));
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
  const row = unwrap(
    await tenant(c).createRule({
      securityGroupId: r.security_group_id,
      direction: r.direction,
      ethertype: r.ethertype,
      protocol: r.protocol === undefined || r.protocol === null ? null : String(r.protocol),
      portRangeMin: r.port_range_min,
      portRangeMax: r.port_range_max,
      remoteIpPrefix: r.remote_ip_prefix,
      remoteGroupId: r.remote_group_id,
      description: r.description,
    }),
  );
  return c.json({ security_group_rule: ruleView(projectScope(c).projectId, row) }, 201);
});

securityGroupRoutes.delete('/security-group-rules/:id', act('vpc:securityGroups:update'), async (c) => {
  unwrap(await tenant(c).deleteRule(c.req.param('id')));
  return c.body(null, 204);
});
