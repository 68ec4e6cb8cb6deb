/**
 * What a server route needs before it answers: the project's servers and network in one read, the view options
 * of the request (microversion, admin), the server the path names, and who is asking.
 */
import type { Actor } from '../../durable/compute/servers.ts';
import type { Server } from '../../schema/tenant.ts';
import type { AppContext } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope, tenant } from '../lib/tenant.ts';
import { minorOf } from './microversion.ts';
import type { ServerContext } from './views.ts';

/** Who asks: the request and user, and whether the cloud operator (Nova's admin, whom a lock does not stop). */
export function actorOf(c: AppContext): Actor {
  return { requestId: c.var.requestId, userId: c.var.principal.userId, admin: c.var.principal.operator };
}

/**
 * Nova's host_status of each host the servers are on: UP, DOWN once declared failed, MAINTENANCE when disabled.
 * Only the admin sees it, so only the admin's requests ask the zones.
 */
async function hostStatuses(c: AppContext, servers: Server[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const zones = [...new Set(servers.filter((s) => s.hostId).map((s) => s.zone))];
  for (const zone of zones) {
    for (const h of await c.env.ZONE.getByName(zone).hosts(zone)) out.set(h.id, !h.alive ? 'DOWN' : !h.enabled ? 'MAINTENANCE' : 'UP');
  }
  return out;
}

/** Everything a server view needs, in one read of the project; native views take Nova's 2.1 base. */
export async function serverContext(c: AppContext, opts: { native?: boolean } = {}): Promise<ServerContext & { servers: Server[] }> {
  const { projectId } = projectScope(c);
  const r = await tenant(c).list(['servers', 'ports', 'networks', 'elastic_ips', 'security_groups']);
  const minor = opts.native ? 1 : minorOf(c);
  const admin = !opts.native && c.var.principal.operator;
  return {
    origin: new URL(c.req.url).origin,
    projectId,
    pathProject: c.req.param('project_id') ?? '',
    servers: r.servers,
    ports: r.ports,
    networks: r.networks,
    eips: r.elastic_ips,
    groups: r.security_groups,
    minor,
    admin,
    hostStatus: admin && minor >= 16 ? await hostStatuses(c, r.servers) : new Map(),
  };
}

/** One server of the caller's project, or 404 (another project's is as missing as a deleted one). */
export async function oneServer(c: AppContext) {
  const ctx = await serverContext(c);
  const s = ctx.servers.find((x) => x.id === c.req.param('server_id'));
  if (!s) throw notFound(`Instance ${c.req.param('server_id')} could not be found.`);
  return { ctx, s };
}
