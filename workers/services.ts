/**
 * The service registry: every service this cloud serves, each declared in its own folder. The Keystone catalog,
 * the policy actions and system roles, the service hosts, and (in workers/index.ts, checked by type) the mounts
 * and queue consumers all come from this list. A new service adds its declaration here.
 */
import { asService } from './as/as.service.ts';
import type { ActionSpec } from './auth/actions.ts';
import { bssService } from './bss/bss.service.ts';
import { cesService } from './ces/ces.service.ts';
import { ecsService } from './ecs/ecs.service.ts';
import { elbService } from './elb/elb.service.ts';
import { evsService } from './evs/evs.service.ts';
import { iamService } from './iam/iam.service.ts';
import { imsService } from './ims/ims.service.ts';
import { obsService } from './obs/obs.service.ts';
import { rtsService } from './rts/rts.service.ts';
import type { CatalogEntry } from './service.ts';
import { smnService } from './smn/smn.service.ts';
import { vbsService } from './vbs/vbs.service.ts';
import { vpcService } from './vpc/vpc.service.ts';

export const SERVICES = [
  iamService,
  vpcService,
  ecsService,
  evsService,
  vbsService,
  imsService,
  obsService,
  bssService,
  cesService,
  elbService,
  asService,
  smnService,
  rtsService,
] as const;

type Declared = (typeof SERVICES)[number];

/** A registered service's name (`ecs`). */
export type ServiceName = Declared['name'];

/** A queue some service consumes. */
export type QueueName = NonNullable<Extract<Declared, { queues: readonly string[] }>['queues']>[number];

type TablesOf<S> = S extends { policy: infer P } ? P[keyof P] : never;
type NamesOf<T> = T extends unknown ? keyof T & string : never;

/** A registered policy action (`ecs:servers:create`): `act()` accepts nothing else. */
export type Action = NamesOf<TablesOf<Declared>>;

/** Every registered action with its entry. */
export const ACTIONS: Readonly<Record<Action, ActionSpec>> = Object.assign(
  {},
  ...SERVICES.flatMap((s) => Object.values(s.policy as Record<string, Record<string, ActionSpec>>)),
);

/** The table entry of an action, if it is registered (names also come from custom policies and OBS). */
export function actionSpec(name: string): ActionSpec | undefined {
  return Object.hasOwn(ACTIONS, name) ? ACTIONS[name as Action] : undefined;
}

/** The policy namespaces (`ecs`, `vpc`, `eip`, ...), each with its admin and viewer roles. */
export const POLICY_NAMESPACES: readonly string[] = SERVICES.flatMap((s) => Object.keys(s.policy));

/** The catalog entries of every service, in the registry's order. */
export const CATALOG_ENTRIES: readonly CatalogEntry[] = SERVICES.flatMap((s): readonly CatalogEntry[] => s.catalog);

/** The names served at `<name>.{region}.{domain}`. */
export const SERVICE_HOSTS: ReadonlySet<string> = new Set(SERVICES.filter((s) => s.serviceHost).map((s) => s.name));
