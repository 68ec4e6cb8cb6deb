/** The security group pages of the VPC section (`/console/vpc/security-groups`), over the VPC use cases. */

import { z } from 'zod';
import { act } from '../../../workers/auth/middleware.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { notFound } from '../../../workers/lib/errors.ts';
import {
  addRule,
  createSecurityGroup,
  deleteSecurityGroup,
  listSecurityGroups,
  removeRule,
} from '../../../workers/vpc/usecases/security-groups.ts';
import { button, consoleRouter, done, type Failure, f, form } from '../kit.tsx';
import { descriptionField, nameField, placed } from './forms.ts';
import { GroupPage, GroupsPage } from './security-groups.page.tsx';

/** A port number, or an ICMP type or code: empty is none. */
const portNumber = (what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : undefined))
    .pipe(
      z
        .number({ error: `Enter the ${what} as a number.` })
        .int(`Enter the ${what} as a whole number.`)
        .min(0)
        .max(65535)
        .optional(),
    );

const groupForm = z.object({ name: nameField('security group'), description: descriptionField() });
const ruleForm = z.object({
  direction: z.enum(['ingress', 'egress'], { error: 'Choose inbound or outbound.' }),
  ethertype: z.enum(['IPv4', 'IPv6'], { error: 'Choose IPv4 or IPv6.' }),
  protocol: f.optional(),
  port_range_min: portNumber('first port'),
  port_range_max: portNumber('last port'),
  remote_ip_prefix: f.optional(),
  remote_group_id: f.optional(),
});

const GROUP_WORDS = [['name', /default security group/i]] as const;
const RULE_WORDS = [
  ['protocol', /protocol|icmpv6/i],
  ['port_range_min', /port|ICMP/i],
  ['remote_ip_prefix', /remote_ip_prefix|remote prefix/i],
  ['remote_group_id', /remote group/i],
] as const;

async function groupsPage(c: AppContext, failures: { create?: Failure; refusal?: Failure } = {}) {
  const { groups, rules } = await listSecurityGroups(callerOf(c));
  const create = failures.create && placed(failures.create, GROUP_WORDS);
  return c.html(<GroupsPage c={c} groups={groups} rules={rules} failure={create} refusal={failures.refusal} />);
}

async function groupPage(c: AppContext, failures: { rule?: Failure; refusal?: Failure } = {}) {
  const id = c.req.param('security_group_id') ?? '';
  const { groups, rules } = await listSecurityGroups(callerOf(c));
  const group = groups.find((g) => g.id === id);
  if (!group) throw notFound(`Security group ${id} could not be found.`);
  const rule = failures.rule && placed(failures.rule, RULE_WORDS);
  const own = rules.filter((r) => r.securityGroupId === id);
  return c.html(<GroupPage c={c} group={group} groups={groups} rules={own} failure={rule} refusal={failures.refusal} />);
}

export const securityGroupRoutes = consoleRouter();

securityGroupRoutes.get('/', act('vpc:securityGroups:list'), (c) => groupsPage(c));
securityGroupRoutes.post(
  '/',
  act('vpc:securityGroups:create'),
  form(
    groupForm,
    async (c, input) => {
      const { group } = await createSecurityGroup(callerOf(c), input);
      return done(c, `/console/vpc/security-groups/${group.id}`, `Security group ${group.name} is created.`);
    },
    (c, failure) => groupsPage(c, { create: failure }),
  ),
);
securityGroupRoutes.get('/:security_group_id', act('vpc:securityGroups:get'), (c) => groupPage(c));
securityGroupRoutes.post(
  '/:security_group_id/delete',
  act('vpc:securityGroups:delete'),
  button(
    async (c) => {
      await deleteSecurityGroup(callerOf(c), c.req.param('security_group_id') ?? '');
      return ['/console/vpc/security-groups', 'The security group is deleted.'];
    },
    (c, failure) => groupsPage(c, { refusal: failure }),
  ),
);
securityGroupRoutes.post(
  '/:security_group_id/rules',
  act('vpc:securityGroups:update'),
  form(
    ruleForm,
    async (c, r) => {
      const id = c.req.param('security_group_id') ?? '';
      // One port typed is a range of one; ICMP's second number is its code, which may stay "any".
      const max = r.port_range_max ?? (r.protocol === 'icmp' ? undefined : r.port_range_min);
      await addRule(callerOf(c), {
        securityGroupId: id,
        direction: r.direction,
        ethertype: r.ethertype,
        protocol: r.protocol ?? null,
        portRangeMin: r.port_range_min ?? null,
        portRangeMax: max ?? null,
        remoteIpPrefix: r.remote_ip_prefix ?? null,
        remoteGroupId: r.remote_group_id ?? null,
      });
      return done(c, `/console/vpc/security-groups/${id}`, 'The rule is added.');
    },
    (c, failure) => groupPage(c, { rule: failure }),
  ),
);
securityGroupRoutes.post(
  '/:security_group_id/rules/:rule_id/delete',
  act('vpc:securityGroups:update'),
  button(
    async (c) => {
      const ruleId = c.req.param('rule_id') ?? '';
      const { rules } = await listSecurityGroups(callerOf(c));
      // The path names the group: a rule of another group is not removed from this one's page.
      if (!rules.some((r) => r.id === ruleId && r.securityGroupId === c.req.param('security_group_id')))
        throw notFound(`Security group rule ${ruleId} could not be found.`);
      await removeRule(callerOf(c), ruleId);
      return [`/console/vpc/security-groups/${c.req.param('security_group_id')}`, 'The rule is removed.'];
    },
    (c, failure) => groupPage(c, { refusal: failure }),
  ),
);
