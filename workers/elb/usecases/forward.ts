/**
 * The local data plane's request path: the project's TenantDO picks the member (algorithm, persistence, health),
 * the member's host has its guest answer, and the answer comes back as the load balancer relays it. A refusal is
 * what a proxy answers (plain text, 503 when no member can take it), not an API fault.
 */
import type { Client } from '../../../durable/elb/balance.ts';
import type { AppContext } from '../../lib/app.ts';
import { tenant } from '../../lib/tenant.ts';

/** The client as persistence sees it: its address (the edge's, else the first forwarded hop) and its cookies. */
export function clientOf(c: AppContext): Client {
  const ip = c.req.header('cf-connecting-ip') ?? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? '127.0.0.1';
  const cookies: Record<string, string> = {};
  for (const part of (c.req.header('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return { ip, cookies };
}

const text = (status: number, body: string) =>
  new Response(`${body}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

/** Forwards one request to the listener on `port` of the load balancer; `target` is the path and query after it. */
export async function forward(c: AppContext, lbId: string, port: number, target: string): Promise<Response> {
  const t = tenant(c);
  const picked = await t.pickMember(lbId, port, clientOf(c));
  if ('error' in picked) return text(picked.error.status, picked.error.message);
  const { member, guest, setCookie } = picked.ok;
  try {
    const reply = guest?.hostId
      ? await c.env.HOST.getByName(guest.hostId).guestHttp(guest.serverId, { method: c.req.method, target, port: member.protocolPort })
      : null;
    // The member was chosen but did not answer (its server is stopped and no monitor has noticed): a proxy's 503.
    if (!reply) return text(503, `Member ${member.address}:${member.protocolPort} did not answer.`);
    const headers = new Headers(reply.headers);
    headers.set('X-ELB-Member', member.id);
    if (setCookie) headers.set('Set-Cookie', setCookie);
    return new Response(reply.body, { status: reply.status, headers });
  } finally {
    await t.memberDone(member.id);
  }
}
