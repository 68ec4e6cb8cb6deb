/** Refusals raised inside a BucketDO and carried back over RPC as values, in S3's terms. */

export class ObsFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ObsFailureValue {
  status: number;
  code: string;
  message: string;
  extra: Record<string, string>;
  headers: Record<string, string>;
}
export type ObsResult<T> = { ok: T } | { error: ObsFailureValue };

export const fail = {
  noSuchBucket: (name: string) => new ObsFailure(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name }),
  accessDenied: () => new ObsFailure(403, 'AccessDenied', 'Access Denied'),
  noSuchKey: (key: string, headers: Record<string, string> = {}) =>
    new ObsFailure(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key }, headers),
  noSuchVersion: (key: string, versionId: string) =>
    new ObsFailure(404, 'NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: versionId }),
  noSuchUpload: (uploadId: string) =>
    new ObsFailure(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    ),
  invalidArgument: (message: string) => new ObsFailure(400, 'InvalidArgument', message),
};
