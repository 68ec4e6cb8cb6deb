/**
 * Authorization: every route names an action (`iam:users:create`, `ecs:servers:get`), checked here and only
 * here. Deny by default; an explicit Deny in any applicable statement wins over every Allow.
 */
import { stableId } from '../../core/ids.ts';
import { POLICY_NAMESPACES } from '../services.ts';

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
}

export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

const READ = ['*:*:get', '*:*:list'];

/** The system roles and what they allow. Ids are stable so tokens and assignments agree across restarts. */
export const SYSTEM_ROLES: { name: string; description: string; statements: Statement[] }[] = [
  {
    name: 'te_admin',
    description: 'Tenant administrator: every action in the account',
    statements: [{ Effect: 'Allow', Action: ['*:*:*'] }],
  },
  { name: 'readonly', description: 'Read-only access to every service', statements: [{ Effect: 'Allow', Action: READ }] },
  // Keystone's default roles, which OpenStack tooling assumes exist.
  { name: 'admin', description: 'OpenStack admin: same as te_admin', statements: [{ Effect: 'Allow', Action: ['*:*:*'] }] },
  {
    name: 'member',
    description: 'OpenStack member: every action on resources, none on identity',
    statements: [
      { Effect: 'Allow', Action: ['*:*:*'] },
      { Effect: 'Deny', Action: ['iam:*:*'] },
    ],
  },
  { name: 'reader', description: 'OpenStack reader: same as readonly', statements: [{ Effect: 'Allow', Action: READ }] },
  // Each policy namespace of the registry (workers/services.ts) has its own administrator and viewer.
  ...POLICY_NAMESPACES.flatMap((svc) => [
    {
      name: `${svc}_admin`,
      description: `${svc.toUpperCase()} administrator`,
      statements: [{ Effect: 'Allow' as const, Action: [`${svc}:*:*`] }],
    },
    {
      name: `${svc}_viewer`,
      description: `${svc.toUpperCase()} viewer`,
      statements: [{ Effect: 'Allow' as const, Action: [`${svc}:*:get`, `${svc}:*:list`] }],
    },
  ]),
];

/** The stable id of a system role. */
export const systemRoleId = (name: string) => stableId(`system-role:${name}`).replaceAll('-', '');

const SYSTEM_BY_ID = new Map(SYSTEM_ROLES.map((r) => [systemRoleId(r.name), r]));

/** The statements of a system role, by id (undefined for custom roles). */
export function systemRoleStatements(roleId: string): Statement[] | undefined {
  return SYSTEM_BY_ID.get(roleId)?.statements;
}

/** Whether a name belongs to a system role (custom roles may not take it). */
export function isSystemRoleName(name: string): boolean {
  return SYSTEM_ROLES.some((r) => r.name === name);
}

const patterns = new Map<string, RegExp>();

function patternRegex(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    const parts = pattern.toLowerCase().split(':');
    while (parts.length < 3) parts.push('*');
    const body = parts.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^:]*')).join(':');
    re = new RegExp(`^${body}$`);
    patterns.set(pattern, re);
  }
  return re;
}

/** Whether an action (`svc:resource:verb`) matches a pattern with `*` wildcards (`ecs:*`, `*:*:get`). */
export function actionMatches(pattern: string, action: string): boolean {
  return patternRegex(pattern).test(action.toLowerCase());
}

/** Evaluates statements for an action: any matching Deny denies, else any matching Allow allows, else deny. */
export function evaluate(statements: Statement[], action: string): boolean {
  let allowed = false;
  for (const s of statements) {
    if (!s.Action.some((a) => actionMatches(a, action))) continue;
    if (s.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
