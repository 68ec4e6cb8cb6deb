/**
 * The tenant's steps of a build, as the compute manager calls them: few calls, each idempotent and keyed by the
 * server id (a redelivered build finds what the first one made). The zone and host steps lie between them.
 */
import type { Result } from '../../core/result.ts';
import { volumesToHold } from '../evs/attachments.ts';
import type { Ctx } from '../vpc/context.ts';
import { groupOf, serverAddresses } from './server-reads.ts';
import { buildable, fail, plugPorts, scheduled } from './servers.ts';

type Run = <T>(op: (ctx: Ctx) => T) => Result<T>;

/**
 * The server if its build should go on, with its server group (what its claim needs) and the volumes made for it
 * that the build has still to hold: a build's first step.
 */
export function startBuild(ctx: Ctx, id: string) {
  const server = buildable(ctx, id);
  return server && { server, group: groupOf(ctx, server), volumes: volumesToHold(ctx, id) };
}

/**
 * A build's step once a host is claimed: the server scheduled there, then its ports plugged, each in its own
 * transaction as when they were two calls. A refusal of the ports fails the server (ERROR, with the reason) and is
 * the answer; null when the build should stop. Answers the addresses to boot with.
 */
export function placeAndPlug(run: Run, id: string, hostId: string) {
  const placed = run((ctx) => scheduled(ctx, id, hostId));
  if ('error' in placed || !placed.ok) return placed as Result<null>;
  const plugged = run((ctx) => plugPorts(ctx, id));
  if ('error' in plugged) {
    run((ctx) => fail(ctx, id, { code: plugged.error.status, message: plugged.error.message }));
    return plugged;
  }
  return run((ctx) => plugged.ok && { server: plugged.ok, addresses: serverAddresses(ctx, id) });
}
