/**
 * Policy as data: each service declares its actions in a table (`<service>.policy.ts`) with what each allows,
 * its scope and the operations it covers, as Nova's policy modules do. `workers/policies.ts` gathers the tables;
 * `act()` accepts only their names, so a misspelt action is a type error.
 */

/** Who an action is for: any caller of the project or account, or only the cloud operator. */
export type ActionScope = 'project' | 'domain' | 'operator';

export interface ActionSpec {
  /** What the action allows, for people writing policies. */
  description: string;
  scope: ActionScope;
  /** The operations it covers: `METHOD /path` (`{param}` for parameters), or `S3 <action>` for OBS. */
  operations: readonly string[];
  /** For operator actions: what a customer is told (before its request is even read). */
  refusal?: string;
}

/** A service's actions, their names prefixed with the service (`'servers:create'` becomes `'ecs:servers:create'`). */
export function defineActions<const S extends string, const T extends Record<string, ActionSpec>>(
  service: S,
  table: T,
): { readonly [K in keyof T & string as `${S}:${K}`]: T[K] } {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [`${service}:${k}`, v])) as never;
}
