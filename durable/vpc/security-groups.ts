/**
 * Security groups and rules: a `default` group per project (egress anywhere, ingress from its own members),
 * validated rules, 409 on duplicates, no deletion while a port uses the group.
 */
import { and, eq } from 'drizzle-orm';
import { parseCidr } from '../../core/ipv4.ts';
import { conflict, inUse, invalid, notFound } from '../../core/result.ts';
import { ports, type SecurityGroupRule, securityGroupRules, securityGroups } from '../../schema/tenant.ts';
import type { Ctx } from './context.ts';
import { vpc } from './lookups.ts';
import { requireQuota } from './quotas.ts';

const PROTOCOL_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, gre: 47, esp: 50, ah: 51, sctp: 132 };
const PORTED = new Set(['tcp', 'udp', 'sctp', '6', '17', '132']);
const ICMP = new Set(['icmp', 'icmpv6', '1', '58']);

/** A security group by id, or 404. */
export function securityGroup(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(securityGroups).where(eq(securityGroups.id, id)).get();
  if (!row) throw notFound('SecurityGroup', id);
  return row;
}

/** The id of the project's `default` group, created with its rules when missing (the TenantDO makes it as it starts). */
export function defaultSecurityGroupId(ctx: Ctx): string {
  const existing = ctx.db.select({ id: securityGroups.id }).from(securityGroups).where(eq(securityGroups.name, 'default')).get();
  if (existing) return existing.id;
  const id = crypto.randomUUID();
  ctx.db
    .insert(securityGroups)
    .values({ id, name: 'default', description: 'Default security group', createdAt: ctx.now, updatedAt: ctx.now })
    .run();
  for (const ethertype of ['IPv4', 'IPv6'] as const) {
    insertRule(ctx, { securityGroupId: id, direction: 'egress', ethertype });
    insertRule(ctx, { securityGroupId: id, direction: 'ingress', ethertype, remoteGroupId: id });
  }
  return id;
}

/** Creates a group with Neutron's two default egress rules. */
export function createSecurityGroup(ctx: Ctx, input: { id: string; name: string; description?: string; vpcId?: string | null }) {
  defaultSecurityGroupId(ctx);
  if (input.name === 'default') throw conflict('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
  requireQuota(ctx, 'security_group');
  if (input.vpcId) vpc(ctx, input.vpcId);
  const row = {
    id: input.id,
    name: input.name,
    description: input.description ?? '',
    vpcId: input.vpcId ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(securityGroups).values(row).run();
  for (const ethertype of ['IPv4', 'IPv6'] as const) insertRule(ctx, { securityGroupId: input.id, direction: 'egress', ethertype });
  return row;
}

/** Renames or redescribes a group (the default group keeps its name). */
export function updateSecurityGroup(ctx: Ctx, id: string, patch: { name?: string; description?: string }) {
  const current = securityGroup(ctx, id);
  // Neutron's kinds and words, both InUse (409): securitygroups_db.update_security_group and name_not_default.
  if (patch.name !== undefined && patch.name !== current.name) {
    if (current.name === 'default') throw conflict('SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
    if (patch.name === 'default') throw conflict('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
  }
  ctx.db
    .update(securityGroups)
    .set({ ...patch, updatedAt: ctx.now })
    .where(eq(securityGroups.id, id))
    .run();
  return securityGroup(ctx, id);
}

/** Deletes a group: not the default one, and not while a port or another group's rule uses it. */
export function deleteSecurityGroup(ctx: Ctx, id: string): void {
  const g = securityGroup(ctx, id);
  if (g.name === 'default') throw conflict('SecurityGroupCannotRemoveDefault', 'Removing the default security group is not allowed.');
  const users = ctx.db
    .select({ id: ports.id, groups: ports.securityGroups })
    .from(ports)
    .all()
    .filter((p) => p.groups.includes(id));
  if (users.length) throw inUse('SecurityGroup', `Security Group ${id} in use by ${users.length} port(s).`);
  const referers = ctx.db
    .select()
    .from(securityGroupRules)
    .where(eq(securityGroupRules.remoteGroupId, id))
    .all()
    .filter((r) => r.securityGroupId !== id);
  if (referers.length) throw inUse('SecurityGroup', `Security Group ${id} is the remote group of rules in other groups.`);
  ctx.db.delete(securityGroupRules).where(eq(securityGroupRules.securityGroupId, id)).run();
  ctx.db.delete(securityGroups).where(eq(securityGroups.id, id)).run();
}

export interface RuleInput {
  id?: string;
  securityGroupId: string;
  direction: 'ingress' | 'egress';
  ethertype?: 'IPv4' | 'IPv6';
  protocol?: string | null;
  portRangeMin?: number | null;
  portRangeMax?: number | null;
  remoteIpPrefix?: string | null;
  remoteGroupId?: string | null;
  description?: string;
}

function normalizeProtocol(protocol: string | null | undefined): string | null {
  if (protocol === undefined || protocol === null || protocol === '' || protocol === 'any') return null;
  const p = protocol.toLowerCase();
  if (p in PROTOCOL_NUMBERS) return p;
  if (/^\d+$/.test(p) && Number(p) <= 255) return p;
  throw invalid(
    `Security group rule protocol ${protocol} not supported. Allowed values are ${Object.keys(PROTOCOL_NUMBERS).join(', ')} and integer representations [0 to 255].`,
    'SecurityGroupRuleInvalidProtocol',
  );
}

function validatePorts(protocol: string | null, min?: number | null, max?: number | null): [number | null, number | null] {
  const lo = min ?? null;
  const hi = max ?? null;
  if (lo === null && hi === null) return [null, null];
  if (protocol === null) throw invalid('Port ranges need a protocol (tcp, udp, sctp or icmp).', 'SecurityGroupProtocolRequiredWithPorts');
  if (ICMP.has(protocol)) {
    if ((lo !== null && (lo < 0 || lo > 255)) || (hi !== null && (hi < 0 || hi > 255)))
      throw invalid('ICMP type and code must be from 0 to 255.', 'SecurityGroupInvalidIcmpValue');
    if (lo === null && hi !== null) throw invalid('An ICMP code needs an ICMP type.', 'SecurityGroupMissingIcmpType');
    return [lo, hi];
  }
  if (!PORTED.has(protocol)) throw invalid(`Protocol ${protocol} has no ports.`, 'SecurityGroupInvalidPortRange');
  const a = lo ?? hi!;
  const b = hi ?? lo!;
  if (a < 1 || b > 65535 || a > b)
    throw invalid(
      `Invalid port range ${lo}-${hi}: ports go from 1 to 65535 and the minimum may not exceed the maximum.`,
      'SecurityGroupInvalidPortRange',
    );
  return [a, b];
}

function insertRule(ctx: Ctx, input: RuleInput): SecurityGroupRule {
  const row = {
    id: input.id ?? crypto.randomUUID(),
    securityGroupId: input.securityGroupId,
    direction: input.direction,
    ethertype: input.ethertype ?? 'IPv4',
    protocol: input.protocol ?? null,
    portRangeMin: input.portRangeMin ?? null,
    portRangeMax: input.portRangeMax ?? null,
    remoteIpPrefix: input.remoteIpPrefix ?? null,
    remoteGroupId: input.remoteGroupId ?? null,
    description: input.description ?? '',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(securityGroupRules).values(row).run();
  return row;
}

/** Creates a rule after validating it; an identical rule in the group is a 409. */
export function createRule(ctx: Ctx, input: RuleInput): SecurityGroupRule {
  securityGroup(ctx, input.securityGroupId);
  requireQuota(ctx, 'security_group_rule');
  const ethertype = input.ethertype ?? 'IPv4';
  const protocol = normalizeProtocol(input.protocol);
  if (protocol === 'icmpv6' && ethertype === 'IPv4')
    throw invalid('icmpv6 needs ethertype IPv6.', 'SecurityGroupEthertypeConflictWithProtocol');
  const [min, max] = validatePorts(protocol, input.portRangeMin, input.portRangeMax);
  if (input.remoteIpPrefix && input.remoteGroupId)
    throw invalid('Only remote_ip_prefix or remote_group_id may be provided.', 'SecurityGroupRemoteGroupAndRemoteIpPrefix');
  let prefix: string | null = null;
  if (input.remoteIpPrefix) {
    if (ethertype === 'IPv6') throw invalid('Only IPv4 remote prefixes are supported.', 'SecurityGroupRuleParameterConflict');
    const c = parseCidr(input.remoteIpPrefix) ?? parseCidr(`${input.remoteIpPrefix}/32`);
    if (!c) throw invalid(`Invalid remote_ip_prefix ${input.remoteIpPrefix}.`, 'InvalidInput');
    prefix = c.text;
  }
  if (input.remoteGroupId) securityGroup(ctx, input.remoteGroupId);
  const candidate = { ...input, ethertype, protocol, portRangeMin: min, portRangeMax: max, remoteIpPrefix: prefix };
  const same = ctx.db
    .select()
    .from(securityGroupRules)
    .where(and(eq(securityGroupRules.securityGroupId, input.securityGroupId), eq(securityGroupRules.direction, input.direction)))
    .all()
    .find(
      (r) =>
        r.ethertype === ethertype &&
        r.protocol === protocol &&
        r.portRangeMin === min &&
        r.portRangeMax === max &&
        r.remoteIpPrefix === prefix &&
        r.remoteGroupId === (input.remoteGroupId ?? null),
    );
  if (same) throw conflict('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${same.id}.`);
  return insertRule(ctx, candidate);
}

/** A rule by id, or 404. */
export function rule(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(securityGroupRules).where(eq(securityGroupRules.id, id)).get();
  if (!row) throw notFound('SecurityGroupRule', id);
  return row;
}

/** Deletes a rule. */
export function deleteRule(ctx: Ctx, id: string): void {
  rule(ctx, id);
  ctx.db.delete(securityGroupRules).where(eq(securityGroupRules.id, id)).run();
}
