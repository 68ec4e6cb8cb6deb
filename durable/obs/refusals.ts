/** The refusals a BucketDO raises most, in S3's terms: the S3 code is the DomainError's kind. */
import { DomainError } from '../../core/result.ts';

export const fail = {
  noSuchBucket: (name: string) => new DomainError(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name }),
  accessDenied: () => new DomainError(403, 'AccessDenied', 'Access Denied'),
  noSuchKey: (key: string, headers: Record<string, string> = {}) =>
    new DomainError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key }, headers),
  noSuchVersion: (key: string, versionId: string) =>
    new DomainError(404, 'NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: versionId }),
  noSuchUpload: (uploadId: string) =>
    new DomainError(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    ),
  invalidArgument: (message: string) => new DomainError(400, 'InvalidArgument', message),
  checksumMismatch: (algorithm: string) =>
    new DomainError(400, 'BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`),
};
