/**
 * A bucket's objects in the Console: the browser (folders by the `/` delimiter, a page at a time), download (the
 * bytes streamed as stored, always as an attachment: a stored page must never run on the Console's origin),
 * delete, folders, and uploads: a plain form post without JavaScript, and with it a multipart upload whose parts
 * the page's script sends one by one (JSON answers, the CSRF token in X-CSRF-Token).
 */
import { z } from 'zod';
import { act } from '../../../workers/auth/middleware.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { ApiError, badRequest } from '../../../workers/lib/errors.ts';
import { abortUpload, completeUpload, initiateUpload, uploadPart } from '../../../workers/obs/usecases/multipart.ts';
import { deleteObject, getObject, listObjects, plainFields, putObject } from '../../../workers/obs/usecases/objects.ts';
import { flash } from '../../session/session.ts';
import { asset } from '../assets.ts';
import { consoleRouter, done, type Failure, form, typed } from '../kit.tsx';
import { BrowserPage } from './browser.page.tsx';
import { about, bucketPath, bytes, consoleUser } from './parts.tsx';
import upload from './upload.client.js';

asset('obs-upload', upload);

/** Objects and folders shown on one page of the browser. */
const PAGE_SIZE = 100;

const bucketOf = (c: AppContext) => c.req.param('bucket') ?? '';

/** The browser at a folder; a failed form shows on it with its words. */
async function browserPage(
  c: AppContext,
  prefix: string,
  after: string,
  failures: { upload?: Failure; folder?: Failure; refusal?: Failure } = {},
) {
  const bucket = bucketOf(c);
  const page = await listObjects(await consoleUser(c), bucket, { prefix, delimiter: '/', after, maxKeys: PAGE_SIZE });
  return c.html(<BrowserPage c={c} bucket={bucket} prefix={prefix} after={after} page={page} {...failures} />);
}

/** `filename*` of a Content-Disposition: the key's last segment, percent-encoded UTF-8 (RFC 6266). */
function attachment(key: string): string {
  const name = key.split('/').filter(Boolean).pop() ?? 'object';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const objectRoutes = consoleRouter();

objectRoutes.get('/buckets/:bucket', act('obs:objects:list'), (c) =>
  browserPage(c, c.req.query('prefix') ?? '', c.req.query('after') ?? ''),
);

objectRoutes.get('/buckets/:bucket/object', act('obs:objects:get'), async (c) => {
  // No key is the key '': the bucket decides first (another account's is refused), then finds no such key.
  const key = c.req.query('key') ?? '';
  const read = await getObject(await consoleUser(c), bucketOf(c), key);
  if (read.status !== 'ok') throw new Error('an unconditional read answered not-modified');
  const headers = new Headers({
    'Content-Type': read.version.contentType,
    'Content-Length': String(read.length),
    'Content-Disposition': attachment(key),
    ETag: `"${read.version.etag}"`,
    'Last-Modified': new Date(read.version.lastModified).toUTCString(),
  });
  return new Response(read.body, { status: 200, headers });
});

/** The fields of an upload form beside its file. */
const uploadFields = z.object({ prefix: z.string().default(''), name: z.string().trim().default('') });

objectRoutes.post('/buckets/:bucket/objects', act('obs:objects:put'), async (c) => {
  const bucket = bucketOf(c);
  const body = await c.req.parseBody();
  const file = body.file;
  const { prefix, name } = uploadFields.parse({ prefix: typeof body.prefix === 'string' ? body.prefix : undefined, name: body.name });
  const refuse = (message: string, field: string | undefined, status: number) => {
    c.status(status as 400);
    return browserPage(c, prefix, '', { upload: { message, field, values: { prefix, name }, status } });
  };
  if (!(file instanceof File) || (!file.name && !file.size)) return refuse('Choose a file to upload.', 'file', 400);
  const key = prefix + (name || file.name);
  try {
    const user = await consoleUser(c);
    await putObject(user, bucket, key, plainFields(file.type), { stream: file.stream(), length: file.size }).catch(
      about({ KeyTooLongError: 'name', EntityTooLarge: 'file' }),
    );
  } catch (err) {
    if (!(err instanceof ApiError) || err.status >= 500) throw err;
    return refuse(err.message, (err as ApiError & { field?: string }).field, err.status);
  }
  return done(c, bucketPath(bucket, prefix), `Uploaded ${key} (${bytes(file.size)}).`);
});

objectRoutes.post(
  '/buckets/:bucket/folders',
  act('obs:objects:put'),
  form(
    z.object({
      prefix: z.string().default(''),
      folder: z
        .string()
        .trim()
        .min(1, 'Enter a folder name.')
        .regex(/^[^/]+$/, 'A folder name has no slash.'),
    }),
    async (c, { prefix, folder }) => {
      const bucket = bucketOf(c);
      const key = `${prefix}${folder}/`;
      await putObject(await consoleUser(c), bucket, key, plainFields('application/x-directory'), { stream: null, length: 0 }).catch(
        about({ KeyTooLongError: 'folder' }),
      );
      return done(c, bucketPath(bucket, key), `Folder ${key} is created.`);
    },
    (c, folder) => browserPage(c, typed(folder, 'prefix'), '', { folder }),
  ),
);

objectRoutes.post(
  '/buckets/:bucket/objects/delete',
  act('obs:objects:delete'),
  form(
    z.object({ key: z.string().min(1, 'Name the object to delete.'), prefix: z.string().default('') }),
    async (c, { key, prefix }) => {
      await deleteObject(await consoleUser(c), bucketOf(c), key);
      return done(c, bucketPath(bucketOf(c), prefix), `${key} is deleted.`);
    },
    (c, refusal) => browserPage(c, typed(refusal, 'prefix'), '', { refusal }),
  ),
);

/** A JSON route of the upload script: a refusal answers `{message}` at its status, for the script to show. */
function scripted(handler: (c: AppContext) => Promise<Response>) {
  return async (c: AppContext) => {
    try {
      return await handler(c);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500) throw err;
      return c.json({ message: err.message, code: err.code }, err.status as 400);
    }
  };
}

/** A JSON body, checked by its schema (400 with the first issue's words). */
async function jsonOf<S extends z.ZodType>(c: AppContext, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? 'The request is not valid.');
  return parsed.data;
}

const objectKey = z.string({ error: 'Name the object.' }).min(1, 'Name the object.');
const etag = z.string().regex(/^[0-9a-f]{32}$/, 'An ETag is the part’s MD5 in hex.');

objectRoutes.post(
  '/buckets/:bucket/uploads',
  act('obs:objects:put'),
  scripted(async (c) => {
    const { key, type } = await jsonOf(c, z.object({ key: objectKey, type: z.string().max(255).default('') }));
    const uploadId = await initiateUpload(await consoleUser(c), bucketOf(c), key, plainFields(type));
    return c.json({ uploadId, key }, 201);
  }),
);

objectRoutes.put(
  '/buckets/:bucket/uploads/:upload/parts/:part',
  act('obs:objects:put'),
  scripted(async (c) => {
    // No key is the key '': the bucket decides first, then finds the upload belongs to another key.
    const key = c.req.query('key') ?? '';
    const length = Number(c.req.header('content-length') ?? Number.NaN);
    if (!Number.isSafeInteger(length) || length < 0) throw new ApiError(411, 'A part is sent with its Content-Length.');
    const part = { bucket: bucketOf(c), key, uploadId: c.req.param('upload') ?? '', partNumber: Number(c.req.param('part')) };
    const { etag } = await uploadPart(await consoleUser(c), part, { stream: c.req.raw.body, length });
    return c.json({ etag });
  }),
);

objectRoutes.post(
  '/buckets/:bucket/uploads/:upload/complete',
  act('obs:objects:put'),
  scripted(async (c) => {
    const parts = z.array(z.object({ partNumber: z.number().int(), etag })).min(1, 'Name the parts.');
    const { key, parts: listed } = await jsonOf(c, z.object({ key: objectKey, parts }));
    const row = await completeUpload(await consoleUser(c), bucketOf(c), key, c.req.param('upload') ?? '', listed);
    flash(c, `Uploaded ${key} (${bytes(row.size)}).`);
    return c.json({ key, etag: row.etag, size: row.size });
  }),
);

objectRoutes.post(
  '/buckets/:bucket/uploads/:upload/abort',
  act('obs:objects:delete'),
  scripted(async (c) => {
    const { key } = await jsonOf(c, z.object({ key: objectKey }));
    await abortUpload(await consoleUser(c), bucketOf(c), key, c.req.param('upload') ?? '');
    return c.body(null, 204);
  }),
);
