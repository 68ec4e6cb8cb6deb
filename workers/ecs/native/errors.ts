/**
 * Error codes of the native ECS API. The TenantDO refuses with kinds (`ServerNotFound`, `IpAddressAlreadyAllocated`);
 * native clients read Flexible Engine's `Ecs.xxxx` codes from its error-code table, so every native ECS route
 * renders its refusals through here. Routes may also throw an `Ecs.xxxx` code themselves.
 */
import { codedRouter } from '../../lib/app.ts';

/** Refusals of the TenantDO, by kind, as the ECS API numbers them. */
const BY_KIND: Record<string, string> = {
  ServerNotFound: 'Ecs.0114',
  OverQuota: 'Ecs.0001',
  NetworkNotFound: 'Ecs.0038',
  InvalidIpForSubnet: 'Ecs.0039',
  IpAddressAlreadyAllocated: 'Ecs.0010',
  IpAddressGenerationFailure: 'Ecs.0012',
  InstanceInvalidState: 'Ecs.0100',
};

/** Statuses the native API gives where the TenantDO's differ: Flexible Engine answers an exceeded quota with 400. */
const STATUS_BY_KIND: Record<string, number> = { OverQuota: 400 };

/** The rest, by status: bad input, and a server whose state does not allow the operation. */
const BY_STATUS: Record<number, string> = { 400: 'Ecs.0005', 409: 'Ecs.0100' };

/** The `Ecs.xxxx` code of a refusal; undefined leaves the family's default (`APIGW.<status>`: policy, unknown routes). */
export function ecsCode(status: number, kind?: string): string | undefined {
  if (kind?.startsWith('Ecs.')) return kind;
  return (kind && BY_KIND[kind]) ?? BY_STATUS[status];
}

/** A router whose refusals carry `Ecs.xxxx` codes. */
export const ecsRouter = () => codedRouter(ecsCode, STATUS_BY_KIND);
