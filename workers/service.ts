/**
 * What a service declares about itself, in one file of its folder (`workers/<name>/<name>.service.ts`): its
 * Flexible Engine name (its path prefix on the one origin, its host name, its policy namespace), its Keystone
 * catalog entries, its policy actions and its queues. `workers/services.ts` lists the declarations; the Keystone
 * catalog, the system roles, the service-host routing and the entry's mounts and queue dispatch come from there.
 * A declaration is data only (it imports its policy table, never its routes), so that IAM can read the list.
 */
import type { ActionSpec } from './auth/actions.ts';

export interface CatalogEntry {
  /** The Keystone service type clients look up (`compute`, `network`, `volumev3`). */
  type: string;
  /** The OpenStack service name (`nova`). */
  name: string;
  /** The path below the origin; `{project_id}` is filled from the token's scope. */
  path: string;
  /** Global services get one endpoint per region all the same (clients look them up by region). */
  global?: boolean;
}

export interface ServiceDeclaration<N extends string = string> {
  /** The Flexible Engine name: `/ecs` on the origin, `ecs.{region}.{domain}`, the `ecs:` actions. */
  name: N;
  /** The name people know it by. */
  title: string;
  catalog: readonly CatalogEntry[];
  /**
   * Its policy tables by namespace: usually one, named like the service; VPC also owns the `eip` actions. Each
   * namespace gets the system roles `<namespace>_admin` and `<namespace>_viewer`.
   */
  policy: Readonly<Record<string, Readonly<Record<string, ActionSpec>>>>;
  /** Whether `<name>.{region}.{domain}` is served as `/<name>` (OBS has its own host, `oss.{region}.{domain}`). */
  serviceHost: boolean;
  /** The queues whose consumer the service provides (their bindings are in wrangler.toml). */
  queues?: readonly string[];
}

/** Declares a service (keeps the literal names, so that actions and queues are typed). */
export function defineService<const N extends string, const D extends ServiceDeclaration<N>>(declaration: D & { name: N }): D {
  return declaration;
}
