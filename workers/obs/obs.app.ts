/**
 * The OBS endpoint: an S3-compatible store. It has its own host (`oss.{region}.{domain}`, buckets also as
 * `{bucket}.oss.{region}.{domain}`) or, locally, its own port, because S3 puts the bucket first in the path.
 * A request is authenticated (signature, presigned URL, or anonymous), dispatched on method, bucket, key and
 * sub-resource, and every failure is an S3 `<Error>` document carrying the request id.
 */
import type { Env } from '../../core/env.ts';
import { ApiError } from '../lib/errors.ts';
import { authenticate } from './auth/authenticate.ts';
import { routeBucket, routeService } from './buckets.api.ts';
import { type S3Context, s3Context } from './context.ts';
import { preflight, withCors } from './cors.ts';
import { S3Error } from './errors.ts';
import { routeObject } from './objects.api.ts';
import { targetOf } from './target.ts';
import { escapeXml } from './xml.ts';

/** Serves one request to the OBS endpoint. */
export async function handleObs(request: Request, env: Env, exec: ExecutionContext): Promise<Response> {
  const started = Date.now();
  const requestId = crypto.randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase();
  const target = targetOf(request);
  let s: S3Context | undefined;
  let response: Response;
  try {
    if (request.method === 'OPTIONS') {
      response = await preflight(env, request, target);
    } else {
      const auth = await authenticate(env, {
        method: request.method,
        rawPath: target.rawPath,
        rawQuery: target.rawQuery,
        headers: withHost(request),
        body: request.body,
        virtualBucket: target.virtualBucket,
        region: target.hostRegion,
      });
      s = s3Context(env, exec, request, target, auth, requestId);
      response = await dispatch(s);
      response = await withCors(s, response);
    }
  } catch (err) {
    response = errorResponse(err, request, target.rawPath, requestId);
    // Browsers need the CORS headers to read an error too.
    if (s) response = await withCors(s, response).catch(() => response);
  }
  const headers = new Headers(response.headers);
  headers.set('x-amz-request-id', requestId);
  headers.set('x-obs-request-id', requestId);
  headers.set('x-amz-id-2', requestId);
  headers.set('Server', 'OBS');
  if (!headers.has('Date')) headers.set('Date', new Date().toUTCString());
  console.log(
    JSON.stringify({
      at: new Date(started).toISOString(),
      request_id: requestId,
      service: 'obs',
      method: request.method,
      bucket: target.bucket,
      status: response.status,
      ms: Date.now() - started,
      domain_id: s?.caller?.domainId,
    }),
  );
  return new Response(response.body, { status: response.status, headers });
}

/** The request headers, with Host (a request made inside the runtime may carry it only in its URL). */
function withHost(request: Request): Headers {
  if (request.headers.has('host')) return request.headers;
  const headers = new Headers(request.headers);
  headers.set('host', new URL(request.url).host);
  return headers;
}

function dispatch(s: S3Context): Promise<Response> {
  if (s.target.bucket === null) return routeService(s);
  if (s.target.key === null) return routeBucket(s);
  return routeObject(s);
}

/** An error as S3 renders it; anything unexpected is a 500 InternalError without details. */
function errorResponse(err: unknown, request: Request, resource: string, requestId: string): Response {
  let e: S3Error;
  if (err instanceof S3Error) e = err;
  else if (err instanceof ApiError)
    e = new S3Error(err.status, err.code ?? (err.status === 401 ? 'AccessDenied' : 'InvalidRequest'), err.message);
  else {
    console.error(JSON.stringify({ request_id: requestId, error: String(err), stack: (err as Error)?.stack }));
    e = new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
  }
  const status = e.status === 401 ? 403 : e.status;
  const extra = Object.entries(e.extra)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(e.code ?? 'InternalError')}</Code><Message>${escapeXml(e.message)}</Message>${extra}<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`;
  const headers = { 'Content-Type': 'application/xml', ...e.headers };
  // HEAD answers carry no body; the status and headers tell the client.
  return new Response(request.method === 'HEAD' ? null : body, { status, headers });
}
