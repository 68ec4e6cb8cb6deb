/**
 * `node bench/r2-alone.ts <dir>`: miniflare's local R2 with nothing of ours in front of it, the local floor the OBS
 * bench measures beside our store and s3rver. A Worker that only passes path-style S3 PUTs and GETs to one R2
 * binding (persisted under dir), on its own socket as our OBS endpoint is; prints its URL on stdout and runs until
 * SIGTERM or until its parent closes stdin.
 */
import { readFileSync } from 'node:fs';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';

// Just enough S3 for the SDK's PutObject, GetObject and CreateBucket with checksums off; no auth, one bucket.
const WORKER = `
const NO_SUCH_KEY = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>';
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    const slash = path.indexOf('/', 1);
    if (slash < 0) return new Response(null, { status: request.method === 'PUT' ? 200 : 405 });
    const key = decodeURIComponent(path.slice(slash + 1));
    if (request.method === 'PUT') {
      const object = await env.R.put(key, request.body);
      return new Response(null, { headers: { ETag: object.httpEtag ?? '"' + object.etag + '"' } });
    }
    if (request.method !== 'GET') return new Response(null, { status: 405 });
    const object = await env.R.get(key);
    if (!object) return new Response(NO_SUCH_KEY, { status: 404, headers: { 'Content-Type': 'application/xml' } });
    return new Response(object.body, {
      headers: {
        'Content-Length': String(object.size),
        ETag: object.httpEtag,
        'Content-Type': object.httpMetadata?.contentType ?? 'application/octet-stream',
      },
    });
  },
};
`;

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/r2-alone.ts <dir>');
// The Worker runs on the date wrangler.toml gives ours, so both meet the same runtime.
const compatibilityDate = readFileSync('wrangler.toml', 'utf8').match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1];
const miniflare = new Miniflare(
  convertV4MiniflareOptions({
    name: 'r2-alone',
    modules: true,
    script: WORKER,
    compatibilityDate,
    r2Buckets: ['R'],
    resourcePersistencePath: dir,
    logRequests: false,
    host: '127.0.0.1',
    port: 0,
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  }),
);
await miniflare.ready;
const url = (await miniflare.unsafeGetDirectURL('r2-alone')).toString().replace(/\/$/, '');
console.log(`R2 alone ${url}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await miniflare.dispose();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// The parent holds stdin open; if it dies without a SIGTERM, workerd must not outlive it.
process.stdin.once('end', stop).resume();
