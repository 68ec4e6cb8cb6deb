/**
 * Every OBS operation names its S3 action (what bucket policies speak), the IAM action our roles and custom
 * policies speak (`obs:objects:get`, so that viewer roles' `*:*:get` and `*:*:list` cover the reads), and the
 * ACL permission that can grant it to another account or to everyone.
 */

export type AclPermission = 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP' | 'FULL_CONTROL';

export interface ObsAction {
  /** The S3 action, as in bucket policies (`s3:GetObject`). */
  s3: string;
  /** The IAM action checked against the caller's roles and custom policies. */
  iam: string;
  /** Which ACL (the bucket's or the object's) can grant it, with what permission; none: only the owner and policies. */
  acl?: { on: 'bucket' | 'object'; permission: AclPermission };
}

const op = (s3: string, iam: string, acl?: ObsAction['acl']): ObsAction => ({ s3, iam, acl });

export const ACTIONS = {
  listAllMyBuckets: op('s3:ListAllMyBuckets', 'obs:buckets:list'),
  createBucket: op('s3:CreateBucket', 'obs:buckets:create'),
  deleteBucket: op('s3:DeleteBucket', 'obs:buckets:delete'),
  headBucket: op('s3:ListBucket', 'obs:buckets:get', { on: 'bucket', permission: 'READ' }),
  listBucket: op('s3:ListBucket', 'obs:objects:list', { on: 'bucket', permission: 'READ' }),
  listBucketVersions: op('s3:ListBucketVersions', 'obs:objects:list', { on: 'bucket', permission: 'READ' }),
  listMultipartUploads: op('s3:ListBucketMultipartUploads', 'obs:objects:list', { on: 'bucket', permission: 'READ' }),
  getBucketLocation: op('s3:GetBucketLocation', 'obs:buckets:get'),
  getBucketVersioning: op('s3:GetBucketVersioning', 'obs:buckets:get'),
  putBucketVersioning: op('s3:PutBucketVersioning', 'obs:buckets:update'),
  getBucketAcl: op('s3:GetBucketAcl', 'obs:buckets:get', { on: 'bucket', permission: 'READ_ACP' }),
  putBucketAcl: op('s3:PutBucketAcl', 'obs:buckets:update', { on: 'bucket', permission: 'WRITE_ACP' }),
  getBucketPolicy: op('s3:GetBucketPolicy', 'obs:buckets:get'),
  putBucketPolicy: op('s3:PutBucketPolicy', 'obs:buckets:update'),
  deleteBucketPolicy: op('s3:DeleteBucketPolicy', 'obs:buckets:update'),
  getBucketCors: op('s3:GetBucketCORS', 'obs:buckets:get'),
  putBucketCors: op('s3:PutBucketCORS', 'obs:buckets:update'),
  getLifecycle: op('s3:GetLifecycleConfiguration', 'obs:buckets:get'),
  putLifecycle: op('s3:PutLifecycleConfiguration', 'obs:buckets:update'),
  getBucketStoragePolicy: op('s3:GetBucketStoragePolicy', 'obs:buckets:get'),
  putBucketStoragePolicy: op('s3:PutBucketStoragePolicy', 'obs:buckets:update'),
  getBucketTagging: op('s3:GetBucketTagging', 'obs:buckets:get'),
  // Features this store does not offer: their configuration can be read (there is none), not set.
  getAccelerateConfiguration: op('s3:GetAccelerateConfiguration', 'obs:buckets:get'),
  getBucketRequestPayment: op('s3:GetBucketRequestPayment', 'obs:buckets:get'),
  getBucketLogging: op('s3:GetBucketLogging', 'obs:buckets:get'),
  getBucketNotification: op('s3:GetBucketNotification', 'obs:buckets:get'),
  getBucketWebsite: op('s3:GetBucketWebsite', 'obs:buckets:get'),
  getReplicationConfiguration: op('s3:GetReplicationConfiguration', 'obs:buckets:get'),
  getEncryptionConfiguration: op('s3:GetEncryptionConfiguration', 'obs:buckets:get'),
  getBucketObjectLockConfiguration: op('s3:GetBucketObjectLockConfiguration', 'obs:buckets:get'),
  getBucketOwnershipControls: op('s3:GetBucketOwnershipControls', 'obs:buckets:get'),
  getBucketPublicAccessBlock: op('s3:GetBucketPublicAccessBlock', 'obs:buckets:get'),
  putBucketTagging: op('s3:PutBucketTagging', 'obs:buckets:update'),
  putBucketObjectLockConfiguration: op('s3:PutBucketObjectLockConfiguration', 'obs:buckets:update'),
  putBucketPublicAccessBlock: op('s3:PutBucketPublicAccessBlock', 'obs:buckets:update'),
  putBucketOwnershipControls: op('s3:PutBucketOwnershipControls', 'obs:buckets:update'),
  getBucketPolicyStatus: op('s3:GetBucketPolicyStatus', 'obs:buckets:get'),
  getObjectRetention: op('s3:GetObjectRetention', 'obs:objects:get'),
  putObjectRetention: op('s3:PutObjectRetention', 'obs:objects:update'),
  getObjectLegalHold: op('s3:GetObjectLegalHold', 'obs:objects:get'),
  putObjectLegalHold: op('s3:PutObjectLegalHold', 'obs:objects:update'),
  /** Shortening or removing a GOVERNANCE retention, or deleting a version under one, with x-amz-bypass-governance-retention. */
  bypassGovernanceRetention: op('s3:BypassGovernanceRetention', 'obs:objects:bypassGovernanceRetention'),
  getObject: op('s3:GetObject', 'obs:objects:get', { on: 'object', permission: 'READ' }),
  getObjectVersion: op('s3:GetObjectVersion', 'obs:objects:get', { on: 'object', permission: 'READ' }),
  getObjectAttributes: op('s3:GetObjectAttributes', 'obs:objects:get', { on: 'object', permission: 'READ' }),
  getObjectVersionAttributes: op('s3:GetObjectVersionAttributes', 'obs:objects:get', { on: 'object', permission: 'READ' }),
  putObject: op('s3:PutObject', 'obs:objects:put', { on: 'bucket', permission: 'WRITE' }),
  deleteObject: op('s3:DeleteObject', 'obs:objects:delete', { on: 'bucket', permission: 'WRITE' }),
  deleteObjectVersion: op('s3:DeleteObjectVersion', 'obs:objects:delete', { on: 'bucket', permission: 'WRITE' }),
  getObjectAcl: op('s3:GetObjectAcl', 'obs:objects:get', { on: 'object', permission: 'READ_ACP' }),
  putObjectAcl: op('s3:PutObjectAcl', 'obs:objects:update', { on: 'object', permission: 'WRITE_ACP' }),
  getObjectTagging: op('s3:GetObjectTagging', 'obs:objects:get', { on: 'object', permission: 'READ' }),
  putObjectTagging: op('s3:PutObjectTagging', 'obs:objects:update'),
  deleteObjectTagging: op('s3:DeleteObjectTagging', 'obs:objects:update'),
  getObjectVersionAcl: op('s3:GetObjectVersionAcl', 'obs:objects:get', { on: 'object', permission: 'READ_ACP' }),
  putObjectVersionAcl: op('s3:PutObjectVersionAcl', 'obs:objects:update', { on: 'object', permission: 'WRITE_ACP' }),
  getObjectVersionTagging: op('s3:GetObjectVersionTagging', 'obs:objects:get', { on: 'object', permission: 'READ' }),
  putObjectVersionTagging: op('s3:PutObjectVersionTagging', 'obs:objects:update'),
  deleteObjectVersionTagging: op('s3:DeleteObjectVersionTagging', 'obs:objects:update'),
  abortMultipartUpload: op('s3:AbortMultipartUpload', 'obs:objects:delete', { on: 'bucket', permission: 'WRITE' }),
  listMultipartUploadParts: op('s3:ListMultipartUploadParts', 'obs:objects:list', { on: 'bucket', permission: 'READ' }),
} as const satisfies Record<string, ObsAction>;

export type ActionName = keyof typeof ACTIONS;

/** Bucket settings a caller can change, each guarded by its own action. */
export type BucketSetting =
  | 'versioning'
  | 'acl'
  | 'policy'
  | 'cors'
  | 'lifecycle'
  | 'tagging'
  | 'defaultStorageClass'
  | 'objectLock'
  | 'publicAccessBlock'
  | 'ownership';
export const SETTING_ACTIONS: Record<BucketSetting, ActionName> = {
  versioning: 'putBucketVersioning',
  defaultStorageClass: 'putBucketStoragePolicy',
  acl: 'putBucketAcl',
  policy: 'putBucketPolicy',
  cors: 'putBucketCors',
  lifecycle: 'putLifecycle',
  tagging: 'putBucketTagging',
  objectLock: 'putBucketObjectLockConfiguration',
  publicAccessBlock: 'putBucketPublicAccessBlock',
  ownership: 'putBucketOwnershipControls',
};
