/**
 * The global directory, reached only through @libsql/client over HTTP: locally through the LIBSQL service
 * binding (a Node-side endpoint over an embedded file), in production at LIBSQL_URL (Turso or sqld).
 */
import { type Client, createClient } from '@libsql/client/web';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { drizzle } from 'drizzle-orm/libsql/web';
import type { Env } from '../../core/env.ts';
import * as schema from '../../schema/global.ts';
import { migrateDirectory } from './migrate.ts';

export type Directory = LibSQLDatabase<typeof schema> & { $client: Client };

let cached: { key: string; db: Directory; ready: Promise<void> } | undefined;

/** The directory for this isolate; migrations are applied once per isolate before first use. */
export async function directory(env: Env): Promise<Directory> {
  const key = `${env.LIBSQL_URL}|${env.LIBSQL_AUTH_TOKEN ?? ''}|${env.LIBSQL ? 'binding' : 'net'}`;
  if (!cached || cached.key !== key) {
    const binding = env.LIBSQL;
    const client = createClient({
      url: env.LIBSQL_URL,
      authToken: env.LIBSQL_AUTH_TOKEN,
      fetch: binding ? (input: Request | string | URL, init?: RequestInit) => binding.fetch(input, init) : undefined,
      // No client-side queue: past its limit the client starts a queued query from whichever request finishes
      // first, and workerd cancels I/O begun in another request's context (the waiting request then hangs).
      concurrency: Number.MAX_SAFE_INTEGER,
    });
    const db = drizzle(client, { schema }) as Directory;
    const ready = migrateDirectory(client);
    cached = { key, db, ready };
    ready.catch(() => {
      if (cached?.db === db) cached = undefined;
    });
  }
  await cached.ready;
  return cached.db;
}
