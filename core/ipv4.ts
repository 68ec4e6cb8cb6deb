/** IPv4 addresses and CIDR blocks as 32-bit integers: parsing, containment, overlap, ranges. */

export interface Cidr {
  network: number;
  prefix: number;
  /** The canonical text, e.g. `10.0.0.0/16`. */
  text: string;
}

/** Parses a dotted quad; null when it is not one. */
export function parseIp(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return null;
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

/** Formats a 32-bit integer as a dotted quad. */
export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

const mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Parses `a.b.c.d/n` whose host bits are zero; null otherwise. */
export function parseCidr(text: string): Cidr | null {
  const [ip, len, extra] = text.split('/');
  if (extra !== undefined || ip === undefined || len === undefined || !/^\d{1,2}$/.test(len)) return null;
  const prefix = Number(len);
  const network = parseIp(ip);
  if (network === null || prefix > 32) return null;
  if ((network & ~mask(prefix)) >>> 0 !== 0) return null;
  return { network, prefix, text: `${formatIp(network)}/${prefix}` };
}

/** The number of addresses in a block. */
export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** The last address of a block. */
export function lastIp(c: Cidr): number {
  return (c.network + size(c) - 1) >>> 0;
}

/** Whether an address lies in a block. */
export function contains(c: Cidr, ip: number): boolean {
  return ip >= c.network && ip <= lastIp(c);
}

/** Whether block `inner` lies entirely within block `outer`. */
export function within(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && contains(outer, inner.network);
}

/** Whether two blocks share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network <= lastIp(b) && b.network <= lastIp(a);
}

/** The private ranges a VPC may use. */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((t) => parseCidr(t)!);

/** Whether a block lies within one of the private ranges. */
export function isPrivate(c: Cidr): boolean {
  return PRIVATE_RANGES.some((r) => within(c, r));
}
