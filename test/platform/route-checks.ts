/**
 * Checks over an app's route table (`app.routes`): the guard of every route, the policy tables' operations
 * against the routes that use them, and the tenant-isolation case every route that names a resource needs.
 * Pure functions, so that a test can show them failing on a made-up app.
 */
import type { Hono } from 'hono';
import type { ActionSpec } from '../../workers/auth/actions.ts';
import { type Guard, guardOf } from '../../workers/auth/middleware.ts';

export interface Endpoint {
  method: string;
  /** The path with parameters as `{name}` (Hono's `:name{regex}` and `:name` alike). */
  path: string;
  guards: Guard[];
}

/** The endpoints of an app: one per method and path, with the guards of its handlers. */
export function endpoints(app: Hono<any>): Endpoint[] {
  const byKey = new Map<string, Endpoint>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue;
    const path = r.path.replace(/:(\w+)\{[^}]*\}/g, '{$1}').replace(/:(\w+)/g, '{$1}');
    const key = `${r.method} ${path}`;
    const e = byKey.get(key) ?? { method: r.method, path, guards: [] };
    byKey.set(key, e);
    const g = guardOf(r.handler);
    if (g) e.guards.push(g);
  }
  return [...byKey.values()];
}

/** Nova 2.18 serves its routes with and without the project id: the same operation. */
export const operationPath = (path: string) => path.replace(/^\/ecs\/v2\.1\/(?!\{project_id\})/, '/ecs/v2.1/{project_id}/');

/** Routes with no guard, or more than one (every route must say who may call it). */
export function unguarded(list: Endpoint[]): string[] {
  return list.filter((e) => e.guards.length !== 1).map((e) => `${e.method} ${e.path} (${e.guards.length} guards)`);
}

/** Routes that name an action no policy table registers. */
export function unregistered(list: Endpoint[], actions: Readonly<Record<string, ActionSpec>>): string[] {
  return list.flatMap((e) =>
    e.guards.flatMap((g) =>
      g.kind === 'action' ? g.actions.filter((a) => !Object.hasOwn(actions, a)).map((a) => `${e.method} ${e.path}: ${a}`) : [],
    ),
  );
}

/** Where the tables' declared operations and the routes' actions disagree, both ways. */
export function operationDrift(list: Endpoint[], actions: Readonly<Record<string, ActionSpec>>): string[] {
  const used = new Map<string, Set<string>>();
  for (const e of list)
    for (const g of e.guards)
      if (g.kind === 'action')
        for (const a of g.actions) {
          if (!used.has(a)) used.set(a, new Set());
          used.get(a)!.add(`${e.method} ${operationPath(e.path)}`);
        }
  const drift: string[] = [];
  for (const [name, spec] of Object.entries(actions)) {
    const declared = new Set(spec.operations.filter((o) => !o.startsWith('S3 ')).map((o) => o.replace(/ \(.*\)$/, '')));
    const routes = used.get(name) ?? new Set();
    for (const r of routes) if (!declared.has(r)) drift.push(`${name} is used by ${r}, which its table does not list`);
    for (const d of declared) if (!routes.has(d)) drift.push(`${name} lists ${d}, which no route guards with it`);
  }
  return drift;
}

/** The resource parameters of a path: every `{name}` but the caller's own project in a project-scoped path. */
export function resourceParams(path: string): string[] {
  const projectScoped = /^\/(ecs\/v2\.1|ecs\/v1|vpc\/v1)\/\{project_id\}\//.test(path);
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((p) => !(p === 'project_id' && projectScoped));
}

/** The kind of resource a parameter names: by its name, or for a bare `{id}` by the collection before it. */
export function kindOf(path: string, param: string): string {
  if (param !== 'id' && param !== 'name' && param !== 'role_id' && param !== 'target_id' && param !== 'actor_id') return param;
  const segments = path.split('/');
  const at = segments.indexOf(`{${param}}`);
  const collection = segments[at - 1] ?? '';
  if (param === 'target_id') return collection === 'domains' ? 'domain_id' : 'project_id';
  if (param === 'actor_id') return collection === 'groups' ? 'group_id' : 'user_id';
  if (param === 'role_id') return segments.includes('OS-ROLE') ? 'policy_id' : 'role_id';
  return `${collection}/${param}`;
}

/** Endpoints naming a resource kind that has neither an isolation fixture nor a declared reason to go without. */
export function withoutIsolationCase(list: Endpoint[], fixtures: ReadonlySet<string>, shared: ReadonlySet<string>): string[] {
  return list.flatMap((e) =>
    resourceParams(e.path)
      .map((p) => kindOf(e.path, p))
      .filter((k) => !fixtures.has(k) && !shared.has(k))
      .map((k) => `${e.method} ${e.path}: no isolation case for ${k}`),
  );
}
