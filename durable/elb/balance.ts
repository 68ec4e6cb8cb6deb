/**
 * The local data plane's choice of a member for one request to a listener: the members that can take traffic
 * (admin up, weight above 0, not marked down by the monitor, backups only when no other is left), then the pool's
 * session persistence, then its algorithm. Round robin is weighted and keeps its place in the pool's `cursor`, so
 * the order holds across requests; the choice and the count of requests in flight are written in one transaction.
 */
import { and, eq, sql } from 'drizzle-orm';
import { type LbAlgorithm, OPERATING, PERSISTENCE_COOKIE, PROVISIONING } from '../../core/elb/states.ts';
import { DomainError } from '../../core/result.ts';
import { type Listener, listeners, loadBalancers, type Member, members, type Pool, pools, ports, servers } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { missing } from './loadbalancers.ts';

/** Who is asking: the client's address and its cookies (persistence keys on them). */
export interface Client {
  ip: string;
  cookies: Record<string, string>;
}

/** The server behind an address of the project: what answers the member's traffic. */
export interface Guest {
  serverId: string;
  hostId: string | null;
}

/** The member a request goes to, the guest behind it, and the cookie to set (HTTP_COOKIE persistence). */
export interface Choice {
  member: { id: string; address: string; protocolPort: number; name: string };
  guest: Guest | null;
  setCookie?: string;
}

const unavailable = (why: string) => new DomainError(503, 'NoServerAvailable', why);

/** The server whose port holds `address` in the project, if any (a member may name any address). */
export function guestAt(ctx: Pick<Ctx, 'db'>, address: string): Guest | null {
  const port = ctx.db
    .select()
    .from(ports)
    .all()
    .find((p) => p.deviceOwner.startsWith('compute:') && p.fixedIps.some((f) => f.ip_address === address));
  if (!port) return null;
  const server = ctx.db.select({ id: servers.id, hostId: servers.hostId }).from(servers).where(eq(servers.id, port.deviceId)).get();
  return server ? { serverId: server.id, hostId: server.hostId } : null;
}

/** Members that may take a new request: healthy ones, or the backups when none is. */
function eligible(all: Member[]): Member[] {
  const usable = all
    .filter(
      (m) =>
        m.adminStateUp &&
        m.weight > 0 &&
        m.operatingStatus !== OPERATING.ERROR &&
        m.provisioningStatus !== PROVISIONING.PENDING_CREATE &&
        m.provisioningStatus !== PROVISIONING.PENDING_DELETE,
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const primary = usable.filter((m) => !m.backup);
  return primary.length ? primary : usable;
}

/** A stable hash of a key (FNV-1a), for SOURCE_IP and APP_COOKIE. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Each member as many times as its weight, interleaved (weights 2 and 1 give a, b, a). */
function rotation(ms: Member[]): Member[] {
  const out: Member[] = [];
  const top = Math.max(...ms.map((m) => m.weight));
  for (let round = 0; round < top; round++) for (const m of ms) if (m.weight > round) out.push(m);
  return out;
}

function byAlgorithm(ctx: Ctx, p: Pool, ms: Member[], client: Client): Member {
  const algorithm = p.lbAlgorithm as LbAlgorithm;
  if (algorithm === 'SOURCE_IP') {
    const r = rotation(ms);
    return r[hash(client.ip) % r.length]!;
  }
  if (algorithm === 'LEAST_CONNECTIONS')
    return [...ms].sort((a, b) => a.active / a.weight - b.active / b.weight || a.served - b.served)[0]!;
  const r = rotation(ms);
  ctx.db
    .update(pools)
    .set({ cursor: sql`${pools.cursor} + 1` })
    .where(eq(pools.id, p.id))
    .run();
  return r[p.cursor % r.length]!;
}

function persisted(p: Pool, ms: Member[], client: Client): Member | undefined {
  const sp = p.sessionPersistence;
  if (!sp) return undefined;
  if (sp.type === 'HTTP_COOKIE') return ms.find((m) => m.id === client.cookies[PERSISTENCE_COOKIE]);
  const key = sp.type === 'SOURCE_IP' ? client.ip : client.cookies[sp.cookie_name ?? ''];
  if (key === undefined) return undefined;
  const r = rotation(ms);
  return r[hash(key) % r.length];
}

function listenerOn(ctx: Ctx, lbId: string, port: number): Listener {
  const lb = ctx.db.select().from(loadBalancers).where(eq(loadBalancers.id, lbId)).get();
  if (!lb || lb.provisioningStatus === PROVISIONING.PENDING_DELETE) throw missing('Load Balancer', lbId);
  if (lb.provisioningStatus === PROVISIONING.PENDING_CREATE || !lb.adminStateUp)
    throw unavailable(`Load Balancer ${lbId} is not serving yet.`);
  const l = ctx.db
    .select()
    .from(listeners)
    .where(and(eq(listeners.loadbalancerId, lbId), eq(listeners.protocolPort, port)))
    .all()
    .find((x) => x.protocol !== 'UDP' && x.adminStateUp && x.provisioningStatus !== PROVISIONING.PENDING_CREATE);
  if (!l) throw unavailable(`Nothing listens on port ${port} of load balancer ${lbId}.`);
  return l;
}

/** Chooses the member for a request to the listener on `port`, and counts the request in flight. */
export function pickMember(ctx: Ctx, lbId: string, port: number, client: Client): Choice {
  const l = listenerOn(ctx, lbId, port);
  const p = l.defaultPoolId ? ctx.db.select().from(pools).where(eq(pools.id, l.defaultPoolId)).get() : undefined;
  if (!p?.adminStateUp) throw unavailable('No server is available to handle this request.');
  const ms = eligible(ctx.db.select().from(members).where(eq(members.poolId, p.id)).all());
  if (!ms.length) throw unavailable('No server is available to handle this request.');
  const m = persisted(p, ms, client) ?? byAlgorithm(ctx, p, ms, client);
  ctx.db
    .update(members)
    .set({ active: sql`${members.active} + 1`, served: sql`${members.served} + 1` })
    .where(eq(members.id, m.id))
    .run();
  return {
    member: { id: m.id, address: m.address, protocolPort: m.protocolPort, name: m.name },
    guest: guestAt(ctx, m.address),
    setCookie: p.sessionPersistence?.type === 'HTTP_COOKIE' ? `${PERSISTENCE_COOKIE}=${m.id}; Path=/; HttpOnly` : undefined,
  };
}

/** A forwarded request is over: it no longer counts against its member. */
export function memberDone(ctx: Ctx, memberId: string): void {
  ctx.db
    .update(members)
    .set({ active: sql`max(${members.active} - 1, 0)` })
    .where(eq(members.id, memberId))
    .run();
}
