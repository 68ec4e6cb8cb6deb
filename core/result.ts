/** Domain errors raised inside the TenantDO and carried back over RPC as values. */

/** A refused operation: an HTTP status, a Neutron-style kind (`NetworkNotFound`, `IpAddressInUse`) and a message. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

export type Failure = { error: { status: number; kind: string; message: string } };
export type Result<T> = { ok: T } | Failure;

/** A DomainError as the value an RPC method answers with. */
export function failure(err: DomainError): Failure {
  return { error: { status: err.status, kind: err.kind, message: err.message } };
}

export const notFound = (kind: string, id: string) => new DomainError(404, `${kind}NotFound`, `${kind} ${id} could not be found.`);
export const inUse = (kind: string, message: string) => new DomainError(409, `${kind}InUse`, message);
export const invalid = (message: string, kind = 'BadRequest') => new DomainError(400, kind, message);
export const conflict = (kind: string, message: string) => new DomainError(409, kind, message);
