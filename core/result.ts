/**
 * The one result of every Durable Object's RPC method: `{ok}` or `{error}`. A refusal is raised inside the
 * object as a DomainError and carried back over RPC as a value; each API family turns it into its own envelope
 * (Neutron, Nova, native JSON, S3 XML) with one unwrap.
 */

/**
 * A refused operation: an HTTP status, a kind (`NetworkNotFound`, `IpAddressInUse`; S3's code, `NoSuchKey`) and
 * a message; S3 refusals add fields to their error document (`extra`) and headers to the response.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly extra?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** A refusal as a value. */
export interface Refusal {
  status: number;
  kind: string;
  message: string;
  /** Fields the error document adds after its message (S3: BucketName, Key, Condition...). */
  extra?: Record<string, string>;
  /** Headers the error response carries (S3: x-amz-delete-marker on a deleted key...). */
  headers?: Record<string, string>;
}

export type Failure = { error: Refusal };
export type Result<T> = { ok: T } | Failure;

/** A DomainError as the value an RPC method answers with. */
export function failure(err: DomainError): Failure {
  const error: Refusal = { status: err.status, kind: err.kind, message: err.message };
  if (err.extra) error.extra = err.extra;
  if (err.headers) error.headers = err.headers;
  return { error };
}

/** The value of a result, or the error `raise` makes of its refusal, thrown (one per API family). */
export function valueOr<T>(r: Result<T>, raise: (refusal: Refusal) => Error): T {
  if ('error' in r) throw raise(r.error);
  return r.ok;
}

export const notFound = (kind: string, id: string) => new DomainError(404, `${kind}NotFound`, `${kind} ${id} could not be found.`);
export const inUse = (kind: string, message: string) => new DomainError(409, `${kind}InUse`, message);
export const invalid = (message: string, kind = 'BadRequest') => new DomainError(400, kind, message);
export const conflict = (kind: string, message: string) => new DomainError(409, kind, message);
