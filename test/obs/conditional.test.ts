/**
 * OBS conditional writes as S3 has them: `If-None-Match: *` and `If-Match` on PutObject and on
 * CompleteMultipartUpload (412 PreconditionFailed, 404 NoSuchKey, 409 ConditionalRequestConflict when the object
 * a write began over is deleted before it ends), decided where the write commits, so racing writers cannot
 * both win.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../request.ts';
import { createBucket, encodeKey, OBS, type ObsUser, obsUser, put, s3, xmlText } from './fixtures.ts';

const MiB = 1024 ** 2;

/** The quoted ETag a write answered. */
const etagOf = (res: Response) => res.headers.get('etag')!;

/** The S3 error code of a refusal. */
const codeOf = async (res: Response) => xmlText(await res.text(), 'Code');

const read = async (u: ObsUser, b: string, key: string) => (await s3(u, `/${b}/${encodeKey(key)}`)).text();

/** Opens an upload of `key` and uploads `parts` (each its own byte, 5 MiB but the last); answers the Complete body. */
async function upload(u: ObsUser, b: string, key: string, fill: number[]): Promise<{ uploadId: string; body: string }> {
  const init = await s3(u, `/${b}/${key}?uploads`, { method: 'POST' });
  const uploadId = xmlText(await init.text(), 'UploadId')!;
  const listed: string[] = [];
  for (const [i, byte] of fill.entries()) {
    const size = i === fill.length - 1 ? 1024 : 5 * MiB;
    const res = await s3(u, `/${b}/${key}?partNumber=${i + 1}&uploadId=${uploadId}`, {
      method: 'PUT',
      body: new Uint8Array(size).fill(byte),
    });
    expect(res.status).toBe(200);
    listed.push(`<Part><PartNumber>${i + 1}</PartNumber><ETag>${etagOf(res)}</ETag></Part>`);
  }
  return { uploadId, body: `<CompleteMultipartUpload>${listed.join('')}</CompleteMultipartUpload>` };
}

function complete(u: ObsUser, b: string, key: string, up: { uploadId: string; body: string }, headers: Record<string, string> = {}) {
  return s3(u, `/${b}/${key}?uploadId=${up.uploadId}`, { method: 'POST', body: up.body, headers });
}

describe('OBS conditional PutObject', () => {
  it('If-None-Match: * writes only where the key has no current object (a delete marker is none)', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await put(u, b, 'k', 'first', { 'If-None-Match': '*' })).status).toBe(200);
    const refused = await put(u, b, 'k', 'second', { 'If-None-Match': '*' });
    expect(refused.status).toBe(412);
    const text = await refused.text();
    expect(xmlText(text, 'Code')).toBe('PreconditionFailed');
    expect(xmlText(text, 'Condition')).toBe('If-None-Match');
    expect(await read(u, b, 'k')).toBe('first');

    await s3(u, `/${b}?versioning`, {
      method: 'PUT',
      body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
    });
    expect((await s3(u, `/${b}/k`, { method: 'DELETE' })).headers.get('x-amz-delete-marker')).toBe('true');
    expect((await put(u, b, 'k', 'after the marker', { 'If-None-Match': '*' })).status).toBe(200);
    expect(await read(u, b, 'k')).toBe('after the marker');
  });

  it('If-None-Match with anything but * is NotImplemented, and nothing is written', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const res = await put(u, b, 'k', 'x', { 'If-None-Match': '"0123"' });
    expect(res.status).toBe(501);
    expect(await codeOf(res)).toBe('NotImplemented');
    expect((await s3(u, `/${b}/k`, { method: 'HEAD' })).status).toBe(404);
  });

  it('If-Match writes only over the ETag named: 412 over another, 404 NoSuchKey where there is no object', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const missing = await put(u, b, 'k', 'x', { 'If-Match': '"5d41402abc4b2a76b9719d911017c592"' });
    expect(missing.status).toBe(404);
    expect(await codeOf(missing)).toBe('NoSuchKey');
    const first = await put(u, b, 'k', 'hello');
    expect(etagOf(first)).toBe('"5d41402abc4b2a76b9719d911017c592"');
    const wrong = await put(u, b, 'k', 'x', { 'If-Match': '"00000000000000000000000000000000"' });
    expect(wrong.status).toBe(412);
    const text = await wrong.text();
    expect(xmlText(text, 'Code')).toBe('PreconditionFailed');
    expect(xmlText(text, 'Condition')).toBe('If-Match');
    const over = await put(u, b, 'k', 'world', { 'If-Match': etagOf(first) });
    expect(over.status).toBe(200);
    expect(etagOf(over)).toBe('"7d793037a0760186574b0282f2f435e7"');
    expect(await read(u, b, 'k')).toBe('world');
    // The old ETag no longer names the current object.
    expect((await put(u, b, 'k', 'again', { 'If-Match': etagOf(first) })).status).toBe(412);
    expect(await read(u, b, 'k')).toBe('world');
  });

  it('of ten parallel If-None-Match: * PUTs of one key exactly one wins, the others are 412', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => put(u, b, 'race', `writer ${i}`, { 'If-None-Match': '*' })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412, 412, 412]);
    const winner = answers.findIndex((r) => r.status === 200);
    expect(await read(u, b, 'race')).toBe(`writer ${winner}`);
  });

  it('of ten parallel If-Match PUTs over one ETag exactly one wins', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const etag = etagOf(await put(u, b, 'race', 'base'));
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => put(u, b, 'race', `writer ${i}`, { 'If-Match': etag })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412, 412, 412, 412, 412, 412]);
    const winner = answers.findIndex((r) => r.status === 200);
    expect(await read(u, b, 'race')).toBe(`writer ${winner}`);
  });

  it('If-Match over an object deleted while the bytes flowed is 409 ConditionalRequestConflict', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const etag = etagOf(await put(u, b, 'k', 'base'));
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 1) await gate;
        if (sent === 2) return controller.close();
        sent++;
        controller.enqueue(new TextEncoder().encode('half'));
      },
    });
    const signed = await u.client.sign(`${OBS}/${b}/k`, {
      method: 'PUT',
      headers: { 'If-Match': etag, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': '8' },
    });
    const writing = dispatch(new Request(signed, { body, duplex: 'half' } as RequestInit));
    // The write has begun (its first bytes were pulled) when the object goes.
    while (sent < 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect((await s3(u, `/${b}/k`, { method: 'DELETE' })).status).toBe(204);
    release();
    const res = await writing;
    expect(res.status).toBe(409);
    expect(await codeOf(res)).toBe('ConditionalRequestConflict');
    expect((await s3(u, `/${b}/k`, { method: 'HEAD' })).status).toBe(404);
  });
});

describe('OBS conditional CompleteMultipartUpload', () => {
  it('If-None-Match: * completes only where the key has no object; the refused upload can still be completed plainly', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const up = await upload(u, b, 'mp', [1, 2]);
    expect((await put(u, b, 'mp', 'in the way')).status).toBe(200);
    const refused = await complete(u, b, 'mp', up, { 'If-None-Match': '*' });
    expect(refused.status).toBe(412);
    expect(await codeOf(refused)).toBe('PreconditionFailed');
    expect(await read(u, b, 'mp')).toBe('in the way');
    // Nothing of the upload was consumed by the refusal.
    const plain = await complete(u, b, 'mp', up);
    expect(plain.status).toBe(200);
    expect((await s3(u, `/${b}/mp`, { method: 'HEAD' })).headers.get('content-length')).toBe(String(5 * MiB + 1024));
  });

  it('If-Match completes only over the ETag named, and is 404 NoSuchKey over no object', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const up = await upload(u, b, 'mp', [3, 4]);
    const missing = await complete(u, b, 'mp', up, { 'If-Match': '"5d41402abc4b2a76b9719d911017c592"' });
    expect(missing.status).toBe(404);
    expect(await codeOf(missing)).toBe('NoSuchKey');
    const etag = etagOf(await put(u, b, 'mp', 'hello'));
    const wrong = await complete(u, b, 'mp', up, { 'If-Match': '"00000000000000000000000000000000"' });
    expect(wrong.status).toBe(412);
    const done = await complete(u, b, 'mp', up, { 'If-Match': etag });
    expect(done.status).toBe(200);
    expect(xmlText(await done.text(), 'ETag')).toMatch(/-2&quot;$|-2"$/);
  });

  it('of two uploads of one key completed at once under If-None-Match: *, exactly one wins', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const one = await upload(u, b, 'mp', [5, 6]);
    const two = await upload(u, b, 'mp', [7, 8]);
    const [a, c] = await Promise.all([
      complete(u, b, 'mp', one, { 'If-None-Match': '*' }),
      complete(u, b, 'mp', two, { 'If-None-Match': '*' }),
    ]);
    expect([a.status, c.status].sort()).toEqual([200, 412]);
    const first = new Uint8Array(await (await s3(u, `/${b}/mp`, { headers: { Range: 'bytes=0-0' } })).arrayBuffer());
    expect(first[0]).toBe(a.status === 200 ? 5 : 7);
  });
});
