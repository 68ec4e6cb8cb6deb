/**
 * S3 errors: every failure of the OBS endpoint is an `<Error>` document with an S3 code, a message, the
 * resource and the request id, and sometimes extra fields a client uses to debug (the string to sign).
 */
import { ApiError } from '../lib/errors.ts';

/** An error in S3's envelope; `extra` adds elements after `<Message>` (StringToSign, BucketName, ...). */
export class S3Error extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly extra: Record<string, string> = {},
    /** Headers the response must carry (Allow on 405, x-amz-delete-marker on a deleted key, ...). */
    readonly headers: Record<string, string> = {},
  ) {
    super(status, message, code);
  }
}

export const s3 = {
  accessDenied: (message = 'Access Denied') => new S3Error(403, 'AccessDenied', message),
  noSuchUpload: (uploadId: string) =>
    new S3Error(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    ),
  noSuchLifecycle: (bucket: string) =>
    new S3Error(404, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', { BucketName: bucket }),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error(400, 'InvalidArgument', message, name ? { ArgumentName: name, ArgumentValue: value ?? '' } : {}),
  invalidRequest: (message: string) => new S3Error(400, 'InvalidRequest', message),
  malformedXml: () =>
    new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.'),
  badDigest: () => new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.'),
  invalidDigest: () => new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.'),
  methodNotAllowed: (method: string, resource: string) =>
    new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', {
      Method: method,
      ResourceType: resource,
    }),
  notImplemented: (what: string) =>
    new S3Error(501, 'NotImplemented', 'A header or query you provided implies functionality that is not implemented.', {
      Header: what,
    }),
  entityTooLarge: (max: number) =>
    new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', { MaxSizeAllowed: String(max) }),
  incompleteBody: () =>
    new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.'),
  malformedPostRequest: () =>
    new S3Error(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.'),
  missingContentLength: () => new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.'),
  // Authentication (workers/obs/auth): the codes and debugging fields S3 itself answers with.
  invalidAccessKeyId: (access: string) =>
    new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: access }),
  signatureDoesNotMatch: (extra: Record<string, string> = {}) =>
    new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      extra,
    ),
  requestTimeTooSkewed: (requestTime: string, serverTime: string, maxSkewMs: number) =>
    new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: requestTime,
      ServerTime: serverTime,
      MaxAllowedSkewMilliseconds: String(maxSkewMs),
    }),
  requestExpired: (extra: Record<string, string>) => new S3Error(403, 'AccessDenied', 'Request has expired', extra),
  missingDate: () => new S3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header'),
  headersNotSigned: (names: string[]) =>
    new S3Error(403, 'AccessDenied', 'There were headers present in the request which were not signed', {
      HeadersNotSigned: names.join(', '),
    }),
  authorizationHeaderMalformed: (detail: string) =>
    new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`),
  authorizationQueryParametersError: (message: string) => new S3Error(400, 'AuthorizationQueryParametersError', message),
  unsupportedAuthorization: (value: string) =>
    new S3Error(400, 'InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: value }),
  contentSha256Mismatch: (client: string, computed: string) =>
    new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
      ClientComputedContentSHA256: client,
      S3ComputedContentSHA256: computed,
    }),
  checksumMismatch: (algorithm: string) =>
    new S3Error(400, 'BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`),
  invalidChunkSize: (message = 'The chunk size in the aws-chunked body is not valid.') =>
    new S3Error(400, 'InvalidChunkSizeError', message),
  malformedTrailer: (
    message = 'The request contained trailing data that was not well-formed or did not conform to our published schema.',
  ) => new S3Error(400, 'MalformedTrailerError', message),
};
