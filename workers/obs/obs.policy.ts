/**
 * The policy actions of OBS: each with what it allows, its scope and the operations (method,
 * path) it covers; OBS's S3 operations are named by their S3 action (core/obs/actions.ts maps each to one of these). Routes name them in `act()`; the route-table test checks the operations against the routes.
 */
import { defineActions } from '../auth/actions.ts';

export const obsActions = defineActions('obs', {
  'buckets:list': {
    description: "List the account's buckets",
    scope: 'project',
    operations: ['S3 s3:ListAllMyBuckets'],
  },
  'buckets:create': {
    description: 'Create buckets',
    scope: 'project',
    operations: ['S3 s3:CreateBucket'],
  },
  'buckets:delete': {
    description: 'Delete buckets',
    scope: 'project',
    operations: ['S3 s3:DeleteBucket'],
  },
  'buckets:get': {
    description: "Read a bucket's settings (location, versioning, ACL, policy, CORS, lifecycle, tags, ...)",
    scope: 'project',
    operations: [
      'S3 s3:ListBucket',
      'S3 s3:GetBucketLocation',
      'S3 s3:GetBucketVersioning',
      'S3 s3:GetBucketAcl',
      'S3 s3:GetBucketPolicy',
      'S3 s3:GetBucketCORS',
      'S3 s3:GetLifecycleConfiguration',
      'S3 s3:GetBucketStoragePolicy',
      'S3 s3:GetBucketTagging',
      'S3 s3:GetAccelerateConfiguration',
      'S3 s3:GetBucketRequestPayment',
      'S3 s3:GetBucketLogging',
      'S3 s3:GetBucketNotification',
      'S3 s3:GetBucketWebsite',
      'S3 s3:GetReplicationConfiguration',
      'S3 s3:GetEncryptionConfiguration',
      'S3 s3:GetBucketObjectLockConfiguration',
      'S3 s3:GetBucketOwnershipControls',
      'S3 s3:GetBucketPublicAccessBlock',
    ],
  },
  'objects:list': {
    description: 'List objects, versions, multipart uploads and parts',
    scope: 'project',
    operations: ['S3 s3:ListBucket', 'S3 s3:ListBucketVersions', 'S3 s3:ListBucketMultipartUploads', 'S3 s3:ListMultipartUploadParts'],
  },
  'buckets:update': {
    description: "Change a bucket's settings",
    scope: 'project',
    operations: [
      'S3 s3:PutBucketVersioning',
      'S3 s3:PutBucketAcl',
      'S3 s3:PutBucketPolicy',
      'S3 s3:DeleteBucketPolicy',
      'S3 s3:PutBucketCORS',
      'S3 s3:PutLifecycleConfiguration',
      'S3 s3:PutBucketStoragePolicy',
      'S3 s3:PutBucketTagging',
    ],
  },
  'objects:get': {
    description: 'Read objects, their ACLs and tags',
    scope: 'project',
    operations: [
      'S3 s3:GetObject',
      'S3 s3:GetObjectVersion',
      'S3 s3:GetObjectAcl',
      'S3 s3:GetObjectTagging',
      'S3 s3:GetObjectVersionAcl',
      'S3 s3:GetObjectVersionTagging',
    ],
  },
  'objects:put': {
    description: 'Write objects (PUT, POST, copy, multipart uploads)',
    scope: 'project',
    operations: ['S3 s3:PutObject'],
  },
  'objects:delete': {
    description: 'Delete objects and versions, abort multipart uploads',
    scope: 'project',
    operations: ['S3 s3:DeleteObject', 'S3 s3:DeleteObjectVersion', 'S3 s3:AbortMultipartUpload'],
  },
  'objects:update': {
    description: "Change objects' ACLs and tags",
    scope: 'project',
    operations: [
      'S3 s3:PutObjectAcl',
      'S3 s3:PutObjectTagging',
      'S3 s3:DeleteObjectTagging',
      'S3 s3:PutObjectVersionAcl',
      'S3 s3:PutObjectVersionTagging',
      'S3 s3:DeleteObjectVersionTagging',
    ],
  },
  'usage:get': {
    description: "Show a bucket's usage meters (requests, bytes, byte-seconds)",
    scope: 'project',
    operations: ['GET /obs/admin/usage'],
  },
});
