/** Names Nova gives a server besides its own: its create request's reservation id and its guest host name. */

/** A new create request's reservation id, as Nova writes them: `r-` and eight lower-case letters or digits. */
export function newReservationId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return `r-${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * The guest host name Nova derives from a server's name: lower case, spaces, dots and underscores as dashes,
 * nothing but letters, digits and dashes, at most 63 characters; `Server-{id}` when nothing is left.
 */
export function hostnameOf(name: string, id: string): string {
  const h = name
    .toLowerCase()
    .replace(/[ _.]/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return h || `Server-${id}`;
}
