/**
 * What a server route needs before it answers: the caller of the use cases (who asks, in which project), the
 * rows of the server(s) it shows (read through workers/ecs/usecases/servers.ts), the view options of the request
 * (microversion, admin) and the server the path names.
 */
import type { Server } from '../../schema/tenant.ts';
import type { AppContext } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope } from '../lib/tenant.ts';
import { minorOf } from './microversion.ts';
import { listServers, type ServerRows, serverById } from './usecases/servers.ts';
import type { ServerContext } from './views.ts';

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

/** The view context of the request over the rows read; native views take Nova's 2.1 base. */
async function viewContext(c: AppContext, rows: ServerRows, servers: Server[], native: boolean): Promise<ServerContext> {
  const minor = native ? 1 : minorOf(c);
  const admin = !native && c.var.principal.operator;
  return {
    origin: new URL(c.req.url).origin,
    projectId: projectScope(c).projectId,
    pathProject: c.req.param('project_id') ?? '',
    ports: rows.ports,
    networks: rows.networks,
    eips: rows.eips,
    groups: rows.groups,
    attachments: rows.attachments,
    minor,
    admin,
    hostStatus: admin && minor >= 16 ? await hostStatuses(c, servers) : new Map(),
  };
}

/** Everything the views of the project's servers need, in one read of the project. */
export async function serverContext(c: AppContext, opts: { native?: boolean } = {}): Promise<ServerContext & { servers: Server[] }> {
  const rows = await listServers(callerOf(c));
  return { ...(await viewContext(c, rows, rows.servers, opts.native ?? false)), servers: rows.servers };
}

/** The server the path names with its view context, or undefined when it is not the caller's. */
export async function serverOfPath(c: AppContext, opts: { native?: boolean } = {}) {
  const found = await serverById(callerOf(c), c.req.param('server_id') ?? '');
  if (!found) return undefined;
  return { ctx: await viewContext(c, found, [found.server], opts.native ?? false), s: found.server };
}

/** One server of the caller's project, or 404 (another project's is as missing as a deleted one). */
export async function oneServer(c: AppContext) {
  const found = await serverOfPath(c);
  if (!found) throw notFound(`Instance ${c.req.param('server_id')} could not be found.`);
  return found;
}
