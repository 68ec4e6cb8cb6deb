/**
 * API errors and their envelopes. A route family (Keystone, Nova, Neutron, native, S3) decides the wire shape;
 * handlers only throw `ApiError` with a status and a message.
 */

/**
 * `native` is the `{error_code, error_msg}` of ECS, VPC and IAM's native APIs; `coded` the `{"error": {"code",
 * "message"}}` of EVS, VBS and IMS's native APIs; `ces` Cloud Eye v1's `{code, element, message, details: {details,
 * code}}`; `octavia` the `{faultcode, faultstring}` of LBaaS v2 (ELB), whose faultstring octaviaclient prints; `smn`
 * SMN v2's `{request_id, code, message}`; `heat` the fault of RTS (Heat): `{code, title, explanation, error: {type,
 * message, traceback}}`, whose message heatclient prints.
 */
export type ErrorFamily = 'keystone' | 'nova' | 'neutron' | 'native' | 'coded' | 'ces' | 'octavia' | 'smn' | 'heat' | 's3';

/** An error meant for the client: status, message, and optionally a family-specific code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Native `error_code`, Neutron `type` or S3 `Code`; a default per status is used when absent. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code?: string) => new ApiError(400, message, code);
export const unauthorized = (message = 'The request you have made requires authentication.') => new ApiError(401, message);
export const forbidden = (message = 'You are not authorized to perform the requested action.') => new ApiError(403, message);
export const notFound = (message: string, code?: string) => new ApiError(404, message, code);
export const conflict = (message: string, code?: string) => new ApiError(409, message, code);

/** The reason phrase of each status the APIs answer. */
export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const NOVA_KEYS: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  429: 'overLimit',
};

const NEUTRON_TYPES: Record<number, string> = {
  400: 'HTTPBadRequest',
  401: 'HTTPUnauthorized',
  403: 'HTTPForbidden',
  404: 'HTTPNotFound',
  405: 'HTTPMethodNotAllowed',
  409: 'HTTPConflict',
  413: 'HTTPRequestEntityTooLarge',
};

const S3_CODES: Record<number, string> = {
  400: 'InvalidRequest',
  401: 'AccessDenied',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  405: 'MethodNotAllowed',
  409: 'OperationAborted',
  413: 'EntityTooLarge',
};

/** Cloud Eye's codes by status (its error table: ces.0014 a bad body, ces.0015 authentication, ...). */
const CES_CODES: Record<number, string> = { 400: 'ces.0014', 401: 'ces.0015', 403: 'ces.0017', 404: 'ces.0016', 500: 'ces.0007' };

/** SMN's codes by status where a refusal names none (`SMN.0001` a bad request, as the SMN owner's table). */
const SMN_CODES: Record<number, string> = { 400: 'SMN.0001', 401: 'SMN.0002', 403: 'SMN.0003', 404: 'SMN.0004', 413: 'SMN.0005' };
/** What Heat's fault middleware says of each status (webob's explanations). */
const HEAT_EXPLANATIONS: Record<number, string> = {
  400: 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  401: 'This server could not verify that you are authorized to access the document you requested.',
  403: 'Access was denied to this resource.',
  404: 'The resource could not be found.',
  405: 'The method is not allowed for this resource.',
  409: 'There was a conflict when trying to complete your request.',
  413: 'The request is larger than the server is willing or able to process.',
  500: 'The server has either erred or is incapable of performing the requested operation.',
};

const xmlEscape = (s: string) =>
  s.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch] ?? ch);

/** The body of an error response in a family's envelope. */
export function errorBody(family: ErrorFamily, status: number, message: string, code: string | undefined, requestId: string) {
  const title = TITLES[status] ?? 'Error';
  switch (family) {
    case 'keystone':
      return { json: { error: { code: status, title, message } } };
    case 'nova':
      return { json: { [NOVA_KEYS[status] ?? 'computeFault']: { code: status, message } } };
    case 'neutron':
      return { json: { NeutronError: { type: code ?? NEUTRON_TYPES[status] ?? 'HTTPInternalServerError', message, detail: '' } } };
    case 'native':
      return { json: { error_code: code ?? `APIGW.${status}`, error_msg: message, request_id: requestId } };
    case 'coded':
      return { json: { error: { code: code ?? `APIGW.${status}`, message } } };
    case 'ces':
      return {
        json: { code: status, element: title, message, details: { details: message, code: code ?? CES_CODES[status] ?? `ces.${status}` } },
      };
    case 'smn':
      return { json: { request_id: requestId, code: code ?? SMN_CODES[status] ?? `SMN.${status}`, message } };
    case 'octavia':
      return { json: { faultcode: status < 500 ? 'Client' : 'Server', faultstring: message, debuginfo: null } };
    case 'heat':
      return {
        json: {
          explanation: HEAT_EXPLANATIONS[status] ?? HEAT_EXPLANATIONS[500],
          code: status,
          error: { message, traceback: null, type: code ?? (status < 500 ? `HTTP${title.replaceAll(' ', '')}` : 'InternalError') },
          title,
        },
      };
    case 's3':
      return {
        xml: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code ?? S3_CODES[status] ?? 'InternalError')}</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
  }
}
