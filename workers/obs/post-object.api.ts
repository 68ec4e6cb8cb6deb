/**
 * Browser-form uploads (`POST /{bucket}`, multipart/form-data): the form's fields say the key (`${filename}`
 * standing for the file's name), its ACL, type, metadata and storage class; its policy, signed with the
 * uploader's secret, bounds what the form may say (post-policy.ts). A form without a policy is anonymous and
 * writes only where the bucket lets everyone write. The answer is `success_action_redirect`'s 303, or
 * `success_action_status`'s 200, 201 (a PostResponse document) or 204.
 */
import { CANNED_ACLS, type CannedAcl, cannedAcl } from '../../durable/obs/access.ts';
import { callerFor } from './auth/caller.ts';
import { conditionContext, type S3Context } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import { type ObjectFields, STORED_HEADERS, storageClassNamed } from './object-fields.ts';
import { checkPolicy, type FormFields, missingField, readPolicy, signer } from './post-policy.ts';
import { obsUser } from './usecases/caller.ts';
import { putObject } from './usecases/objects.ts';
import { xmlResponse } from './xml.ts';

/** The largest form taken: it is read whole before its policy can be judged (S3 takes up to 5 GiB). */
export const MAX_POST_BYTES = 64 * 1024 ** 2;

/** What a form's key may hold to stand for the uploaded file's name. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: S3's placeholder, as forms write it, not a template.
const FILENAME = '${filename}';

/** `POST /{bucket}` with a form: the upload it describes. */
export async function postObject(s: S3Context): Promise<Response> {
  const bucket = s.target.bucket!;
  const { fields, file } = await readForm(s);
  const template = fields.get('key');
  if (template === undefined) throw missingField('key');
  const key = template.replaceAll(FILENAME, file.name);
  if (!key) throw s3.invalidArgument('User key must have a length greater than 0.', 'key', '');
  // The document first (a bad or expired one is refused as such), then its signature, then what it allows.
  const conditions = readPolicy(fields);
  const owner = await signer(s.env, fields);
  checkPolicy(conditions, fields, bucket, file.size);
  const caller = owner && (await callerFor(s.env, owner));
  const signed = owner && {
    version: fields.has('x-amz-signature') ? ('AWS4-HMAC-SHA256' as const) : ('AWS' as const),
    authType: 'POST' as const,
  };
  const user = obsUser(
    s.env,
    caller,
    () => conditionContext(s.request, s.target, { caller, signed }),
    (work) => s.exec.waitUntil(work),
  );
  const objectFields = fieldsOf(fields, file);
  const canned = fields.get('acl') ?? null;
  const guards = {
    acl: objectFields.acl,
    cannedAcl: canned,
    writer: caller && { id: caller.domainId, name: caller.domainName },
  };
  const row = await putObject(user, bucket, key, objectFields, { stream: file.stream(), length: file.size }, {}, guards);
  return answer(fields, bucket, key, row.etag, row.versioned ? row.versionId : null);
}

/** The form's text fields and its one file (fields after the file are ignored, as S3 ignores them). */
async function readForm(s: S3Context): Promise<{ fields: FormFields; file: File }> {
  const type = s.request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
    });
  }
  if (s.length === null) throw s3.missingContentLength();
  if (s.length > MAX_POST_BYTES) throw s3.entityTooLarge(MAX_POST_BYTES);
  let form: FormData;
  try {
    form = await new Response(s.body, { headers: { 'content-type': type } }).formData();
  } catch {
    throw s3.malformedPostRequest();
  }
  const fields: FormFields = new Map();
  let file: File | null = null;
  for (const [name, value] of form) {
    if (typeof value !== 'string') {
      if (name.toLowerCase() !== 'file' || file)
        throw s3.invalidArgument('POST requires exactly one file upload per request.', 'file', name);
      file = value;
      break;
    }
    fields.set(name.toLowerCase(), value);
  }
  if (!file) throw s3.invalidArgument('POST requires exactly one file upload per request.', 'file', '');
  return { fields, file };
}

/** What the object gets from the form: its type, metadata, stored headers, storage class and canned ACL. */
function fieldsOf(fields: FormFields, file: File): ObjectFields {
  const user: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of fields) {
    const meta = /^x-(?:amz|obs)-meta-(.+)$/.exec(name);
    if (meta) user[meta[1]!] = value;
    else if (STORED_HEADERS.includes(name)) headers[name] = value;
  }
  const canned = fields.get('acl');
  if (canned !== undefined && !(CANNED_ACLS as readonly string[]).includes(canned))
    throw s3.invalidArgument('Invalid canned ACL.', 'acl', canned);
  const acl = canned ? cannedAcl(canned as CannedAcl) : null;
  const storageClass = fields.get('x-amz-storage-class');
  return {
    contentType: fields.get('content-type') || file.type || 'binary/octet-stream',
    meta: { user, headers },
    storageClass: storageClass ? storageClassNamed(storageClass) : null,
    tags: null,
    acl: acl?.grants.length ? JSON.stringify(acl) : null,
  };
}

/** S3's answer to an upload done: the redirect the form asked for, or the status (204 unless 200 or 201). */
function answer(fields: FormFields, bucket: string, key: string, etag: string, versionId: string | null): Response {
  const headers: Record<string, string> = { ETag: `"${etag}"`, Location: `/${bucket}/${encodeURIComponent(key)}` };
  if (versionId) headers['x-amz-version-id'] = versionId;
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect) {
    try {
      const url = new URL(redirect);
      for (const [k, v] of [
        ['bucket', bucket],
        ['key', key],
        ['etag', `"${etag}"`],
      ])
        url.searchParams.set(k!, v!);
      return new Response(null, { status: 303, headers: { ...headers, Location: url.toString() } });
    } catch {
      // S3 answers as if no redirect was asked for one that is no URL.
    }
  }
  const status = Number(fields.get('success_action_status'));
  if (status === 201) {
    return xmlResponse('PostResponse', { Location: headers.Location!, Bucket: bucket, Key: key, ETag: `"${etag}"` }, { status, headers });
  }
  return new Response(null, { status: status === 200 ? 200 : 204, headers });
}
