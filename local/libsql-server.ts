// A local stand-in for sqld/Turso: Hrana-over-HTTP v2 (JSON) on top of node:sqlite.
// It serves the @libsql/client "web" client in local dev and tests, either as a miniflare
// Node-side service binding (createLibsqlHandler) or on a real port (serveLibsql).
import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { HttpError, toProtoError } from './hrana/errors.ts';
import { PipelineServer } from './hrana/pipeline.ts';
import type { PipelineRequest, ProtoError, StreamRequest } from './hrana/protocol.ts';

export interface LibsqlHandlerOptions {
  /** Database file, or ":memory:". */
  path: string;
  /** When set, every endpoint except /health requires `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** How long a stream may sit idle before it is dropped (and its transaction rolled back). */
  idleTimeoutMs?: number;
}

export interface LibsqlHandler {
  handle(request: Request): Promise<Response>;
  close(): void;
}

export interface LibsqlServeOptions extends LibsqlHandlerOptions {
  port: number;
  host?: string;
}

export interface LibsqlServer {
  url: string;
  close(): Promise<void>;
}

const DEFAULT_IDLE_TIMEOUT_MS = 15_000;
const BUSY_TIMEOUT_MS = 5_000;

/** Creates a web-standard Request→Response handler serving Hrana over HTTP v2 for one database file. */
export function createLibsqlHandler(options: LibsqlHandlerOptions): LibsqlHandler {
  const server = new PipelineServer(openDatabase(options.path), options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  const authorized = bearerCheck(options.authToken);
  return {
    handle: async (request) => {
      try {
        return await route(server, authorized, request);
      } catch (error) {
        return json(500, toProtoError(error));
      }
    },
    close: () => server.close(),
  };
}

/** Serves the same handler on a node:http server (for drizzle-kit, benchmarks, other processes). */
export async function serveLibsql(options: LibsqlServeOptions): Promise<LibsqlServer> {
  const handler = createLibsqlHandler(options);
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    void bridge(handler, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: async () => {
      // Keep-alive sockets would otherwise hold server.close() open until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      handler.close();
    },
  };
}

function openDatabase(path: string): DatabaseSync {
  // readBigInts keeps 64-bit integers exact; returnArrays keeps duplicate column names
  // apart; unknown named args are ignored, as sqld does.
  const db = new DatabaseSync(path, {
    readBigInts: true,
    returnArrays: true,
    allowUnknownNamedParameters: true,
    timeout: BUSY_TIMEOUT_MS,
  });
  // WAL lets other processes (drizzle-kit studio, the sqlite3 CLI) read while we write.
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON;`);
  return db;
}

async function route(server: PipelineServer, authorized: (header: string | null) => boolean, request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const method = request.method.toUpperCase();
  if (pathname === '/health' && method === 'GET') return text(200, 'ok');
  if (!authorized(request.headers.get('authorization'))) {
    return json(401, { message: 'Unauthorized: missing or invalid bearer token', code: 'UNAUTHORIZED' });
  }
  // Suffix matching lets the client URL carry a path prefix.
  if (pathname.endsWith('/v2') && method === 'GET') return text(200, 'Hrana over HTTP v2');
  if (pathname.endsWith('/v2/pipeline') && method === 'POST') return pipeline(server, request);
  // 404 for /v3* too: a client asking for protocol 3 then falls back to v2.
  return text(404, 'Not found');
}

async function pipeline(server: PipelineServer, request: Request): Promise<Response> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return json(400, { message: 'The request body is not valid JSON', code: 'PROTO_ERROR' });
  }
  const parsed = parsePipelineRequest(body);
  if (typeof parsed === 'string') return json(400, { message: parsed, code: 'PROTO_ERROR' });
  try {
    return json(200, await server.run(parsed));
  } catch (error) {
    return json(error instanceof HttpError ? error.status : 500, toProtoError(error));
  }
}

// Only the envelope is checked here; each request is validated where it is executed, so
// that a bad request becomes a per-request error instead of failing the whole pipeline.
function parsePipelineRequest(body: unknown): PipelineRequest | string {
  if (typeof body !== 'object' || body === null) return 'The request body must be a JSON object';
  const { baton, requests } = body as Record<string, unknown>;
  if (baton != null && typeof baton !== 'string') return 'baton must be a string or null';
  if (!Array.isArray(requests)) return 'requests must be an array';
  if (!requests.every((r) => typeof r === 'object' && r !== null && typeof r.type === 'string')) {
    return 'every request must be an object with a string type';
  }
  return { baton: baton ?? null, requests: requests as StreamRequest[] };
}

function bearerCheck(token: string | undefined): (header: string | null) => boolean {
  if (token === undefined) return () => true;
  const expected = Buffer.from(token);
  return (header) => {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    const given = Buffer.from(match?.[1]?.trim() ?? '');
    // Constant-time compare, since the same handler may sit on a reachable port.
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}

// The client only parses an error body when its content type is exactly "application/json".
function json(status: number, body: ProtoError | object): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain' } });
}

async function bridge(handler: LibsqlHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const response = await handler.handle(await toWebRequest(req));
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = { 'content-length': String(body.length) };
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    res.writeHead(response.status, headers);
    res.end(body);
  } catch (error) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error));
  }
}

async function toWebRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  return new Request(url, { method, headers, body: hasBody ? Buffer.concat(chunks) : null });
}
