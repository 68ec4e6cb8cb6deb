/**
 * The reads of one server that the compute manager and the API make by id, each one call with just the rows
 * it needs (not the project's whole collections), and none of them writes.
 */
import { eq, inArray } from 'drizzle-orm';
import { elasticIps, networks, ports, securityGroups, serverGroups, servers, volumeAttachments } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import type { Server } from './servers.ts';

/** The fixed addresses of a server's ports, as its host boots them. */
export function serverAddresses(ctx: Ctx, id: string): string[] {
  return ctx.db
    .select()
    .from(ports)
    .where(eq(ports.deviceId, id))
    .all()
    .flatMap((p) => p.fixedIps.map((f) => f.ip_address));
}

/** The server group a server is in, with its policy (what its claims are placed by). */
export function groupOf(ctx: Ctx, s: Server) {
  if (!s.serverGroupId) return undefined;
  return ctx.db
    .select({ id: serverGroups.id, policy: serverGroups.policy })
    .from(serverGroups)
    .where(eq(serverGroups.id, s.serverGroupId))
    .get();
}

/**
 * One server with what its views need: its ports, their networks and those of its NICs, the EIPs bound to its
 * ports, its security groups, its volume attachments; null when there is no such server.
 */
export function serverRecord(ctx: Ctx, id: string) {
  const server = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!server) return null;
  const own = ctx.db.select().from(ports).where(eq(ports.deviceId, id)).all();
  const networkIds = [...new Set([...own.map((p) => p.networkId), ...server.nics.map((n) => n.networkId)])];
  const portIds = own.map((p) => p.id);
  return {
    server,
    ports: own,
    networks: networkIds.length ? ctx.db.select().from(networks).where(inArray(networks.id, networkIds)).all() : [],
    eips: portIds.length ? ctx.db.select().from(elasticIps).where(inArray(elasticIps.portId, portIds)).all() : [],
    groups: server.securityGroups.length
      ? ctx.db.select().from(securityGroups).where(inArray(securityGroups.id, server.securityGroups)).all()
      : [],
    attachments: ctx.db.select().from(volumeAttachments).where(eq(volumeAttachments.serverId, id)).all(),
  };
}

/** Every server of the project with the network rows their views need (the list routes); nothing is written. */
export function projectServers(ctx: Ctx) {
  return {
    servers: ctx.db.select().from(servers).all(),
    ports: ctx.db.select().from(ports).all(),
    networks: ctx.db.select().from(networks).all(),
    eips: ctx.db.select().from(elasticIps).all(),
    groups: ctx.db.select().from(securityGroups).all(),
    attachments: ctx.db.select().from(volumeAttachments).all(),
  };
}
