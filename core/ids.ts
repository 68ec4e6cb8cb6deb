/** Identifiers: Keystone-style 32-hex ids for identity objects, dashed UUIDs for resources. */

/** A random 32-hex id (a UUID without dashes), as Keystone and Flexible Engine IAM use. */
export function hexId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** A random dashed UUID, as Nova, Neutron and the native APIs use. */
export function uuid(): string {
  return crypto.randomUUID();
}

/** A stable UUID-shaped id derived from a name (FNV-1a, 128 bits), for catalog endpoints and seeds. */
export function stableId(name: string): string {
  let h = [0x811c9dc5, 0x01000193, 0x6b43a9b5, 0x2f1a6e37];
  for (let i = 0; i < name.length; i++) {
    h = h.map((x, k) => Math.imul(x ^ (name.charCodeAt(i) + k), 0x01000193) >>> 0);
  }
  const hex = h.map((x) => x.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
