/**
 * The simulated guest's HTTP server: while its instance runs, a guest answers any request with its server's name
 * and the request line it got, so that a person (or a test) sees which member a load balancer chose. A stopped
 * guest answers nothing, as a real one would refuse the connection. HostDO.guestHttp is the door to it.
 */
/** A request as it reaches the guest (the load balancer's or a health monitor's). */
export interface GuestRequest {
  method: string;
  /** The request target: path and query. */
  target: string;
  port: number;
}

/** What the guest answers. */
export interface GuestReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The guest's answer, or null when it is not running (the connection is refused). */
export function guestAnswer(instance: { name: string; running: boolean }, req: GuestRequest): GuestReply | null {
  if (!instance.running) return null;
  const body = req.method === 'HEAD' ? '' : `${instance.name}\n${req.method} ${req.target} HTTP/1.1\n`;
  return {
    status: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Served-By': instance.name, 'X-Guest-Port': String(req.port) },
    body,
  };
}
