import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, type Config, createClient } from '@libsql/client/web';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql/web';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createLibsqlHandler, type LibsqlHandler, serveLibsql } from '../../local/libsql-server.ts';

const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function newHandler(options: Partial<Parameters<typeof createLibsqlHandler>[0]> = {}): LibsqlHandler {
  const handler = createLibsqlHandler({ path: ':memory:', ...options });
  cleanups.push(() => handler.close());
  return handler;
}

/** A real @libsql/client whose fetch goes straight into the handler (as a service binding would). */
function clientFor(handler: LibsqlHandler, config: Partial<Config> = {}): Client {
  const fetch = (input: Request | string | URL, init?: RequestInit) =>
    handler.handle(input instanceof Request ? input : new Request(input, init));
  const client = createClient({ url: 'http://libsql.local', intMode: 'bigint', fetch, ...config });
  cleanups.push(() => client.close());
  return client;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'libsql-server-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Raw protocol JSON is asserted field by field below, so a typed shape would add nothing.
type RawJson = any;

async function pipeline(
  handler: LibsqlHandler,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: RawJson }> {
  const response = await handler.handle(
    new Request('http://libsql.local/v2/pipeline', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  return { status: response.status, body: await response.json() };
}

describe('values and arguments', () => {
  it('round-trips every value type, including 64-bit integers and blobs', async () => {
    const client = clientFor(newHandler());
    await client.execute('CREATE TABLE v (id INTEGER PRIMARY KEY, i INTEGER, f REAL, t TEXT, b BLOB, n TEXT)');
    const blob = new Uint8Array(256).map((_, i) => i);
    const inserted = await client.execute({
      sql: 'INSERT INTO v (i, f, t, b, n) VALUES (?, ?, ?, ?, ?)',
      args: [9223372036854775807n, 3.25, 'héllo ✓', blob, null],
    });
    expect(inserted.rowsAffected).toBe(1);
    expect(inserted.lastInsertRowid).toBe(1n);
    await client.execute({ sql: 'INSERT INTO v (i) VALUES (?)', args: [-9223372036854775808n] });

    const result = await client.execute('SELECT i, f, t, b, n FROM v ORDER BY id');
    expect(result.columns).toEqual(['i', 'f', 't', 'b', 'n']);
    expect(result.columnTypes).toEqual(['INTEGER', 'REAL', 'TEXT', 'BLOB', 'TEXT']);
    const [first, second] = result.rows;
    expect(first?.i).toBe(9223372036854775807n);
    expect(first?.f).toBe(3.25);
    expect(first?.t).toBe('héllo ✓');
    expect(new Uint8Array(first?.b as ArrayBuffer)).toEqual(blob);
    expect(first?.n).toBeNull();
    expect(second?.i).toBe(-9223372036854775808n);
  });

  it('binds positional, numbered and named arguments', async () => {
    const client = clientFor(newHandler());
    const positional = await client.execute({ sql: 'SELECT ? AS a, ? AS b', args: [1n, 'two'] });
    expect(positional.rows[0]).toMatchObject({ a: 1n, b: 'two' });
    const numbered = await client.execute({ sql: 'SELECT ?2 AS a, ?1 AS b', args: ['first', 'second'] });
    expect(numbered.rows[0]).toMatchObject({ a: 'second', b: 'first' });
    const named = await client.execute({ sql: 'SELECT :x AS x, $y AS y, @z AS z, :x AS again', args: { x: 7n, y: 'why', z: null } });
    expect(named.rows[0]).toMatchObject({ x: 7n, y: 'why', z: null, again: 7n });
    const prefixed = await client.execute({ sql: 'SELECT :x AS x', args: { ':x': 'with prefix' } });
    expect(prefixed.rows[0]?.x).toBe('with prefix');
  });

  it('keeps duplicate column names apart and reports affected rows only for writes', async () => {
    const client = clientFor(newHandler());
    const dup = await client.execute('SELECT 1 AS a, 2 AS a');
    expect(dup.columns).toEqual(['a', 'a']);
    expect([dup.rows[0]?.[0], dup.rows[0]?.[1]]).toEqual([1n, 2n]);
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)');
    await client.execute("INSERT INTO t (x) VALUES ('a'), ('b'), ('c')");
    const update = await client.execute("UPDATE t SET x = 'z' WHERE id > 1");
    expect(update.rowsAffected).toBe(2);
    const select = await client.execute('SELECT * FROM t');
    expect(select.rowsAffected).toBe(0);
    expect(select.lastInsertRowid).toBeUndefined();
    const returning = await client.execute("INSERT INTO t (x) VALUES ('d') RETURNING id");
    expect(returning.rows[0]?.id).toBe(4n);
    expect(returning.rowsAffected).toBe(1);
  });
});

describe('batches, sequences and errors', () => {
  it("runs client.batch(..., 'write') atomically", async () => {
    const client = clientFor(newHandler());
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)');
    const results = await client.batch(
      [
        { sql: 'INSERT INTO t VALUES (?, ?)', args: [1n, 'a'] },
        { sql: 'INSERT INTO t VALUES (?, ?)', args: [2n, 'b'] },
        'SELECT count(*) AS c FROM t',
      ],
      'write',
    );
    expect(results[2]?.rows[0]?.c).toBe(2n);

    const failing = client.batch(
      [
        { sql: 'INSERT INTO t VALUES (?, ?)', args: [3n, 'c'] },
        { sql: 'INSERT INTO t VALUES (?, ?)', args: [1n, 'duplicate'] },
      ],
      'write',
    );
    await expect(failing).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    const count = await client.execute('SELECT count(*) AS c FROM t');
    expect(count.rows[0]?.c).toBe(2n);
  });

  it('runs executeMultiple as a sequence', async () => {
    const client = clientFor(newHandler());
    await client.executeMultiple(`
      CREATE TABLE s (x INTEGER); -- a comment; with a semicolon
      INSERT INTO s VALUES (1);
      INSERT INTO s VALUES (2);
    `);
    const result = await client.execute('SELECT sum(x) AS total FROM s');
    expect(result.rows[0]?.total).toBe(3n);
  });

  it('accepts a trigger, whose body has its own semicolons, as one statement', async () => {
    const client = clientFor(newHandler());
    await client.execute('CREATE TABLE s (x INTEGER)');
    await client.execute('CREATE TABLE audit (x INTEGER)');
    await client.execute(`CREATE TRIGGER s_audit AFTER INSERT ON s BEGIN
      INSERT INTO audit VALUES (CASE WHEN new.x > 0 THEN new.x END);
      INSERT INTO audit VALUES (-new.x);
    END;`);
    await client.execute('INSERT INTO s VALUES (5)');
    const audit = await client.execute('SELECT x FROM audit ORDER BY x');
    expect(audit.rows.map((r) => r.x)).toEqual([-5n, 5n]);
  });

  it('surfaces errors with a message and code without breaking the client or a transaction', async () => {
    const client = clientFor(newHandler());
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    await client.execute('INSERT INTO t VALUES (1)');
    await expect(client.execute('INSERT INTO t VALUES (1)')).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT',
      message: expect.stringContaining('UNIQUE constraint failed: t.id'),
    });
    await expect(client.execute('SELEC 1')).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
      message: expect.stringContaining('syntax error'),
    });
    await expect(client.execute('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'SQL_MANY_STATEMENTS' });
    await expect(client.execute('  -- nothing')).rejects.toMatchObject({ code: 'SQL_NO_STATEMENT' });
    expect((await client.execute('SELECT 42 AS v')).rows[0]?.v).toBe(42n);

    const tx = await client.transaction('write');
    await tx.execute('INSERT INTO t VALUES (2)');
    await expect(tx.execute('INSERT INTO t VALUES (2)')).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    await tx.execute('INSERT INTO t VALUES (3)');
    await tx.commit();
    expect((await client.execute('SELECT count(*) AS c FROM t')).rows[0]?.c).toBe(3n);
  });
});

describe('interactive transactions', () => {
  it('commits and rolls back across awaits', async () => {
    const client = clientFor(newHandler());
    await client.execute('CREATE TABLE t (x TEXT)');

    const committed = await client.transaction('write');
    await committed.execute("INSERT INTO t VALUES ('kept')");
    await sleep(5);
    expect((await committed.execute('SELECT count(*) AS c FROM t')).rows[0]?.c).toBe(1n);
    await committed.commit();

    const rolledBack = await client.transaction('write');
    await rolledBack.execute("INSERT INTO t VALUES ('dropped')");
    await sleep(5);
    await rolledBack.rollback();

    const rows = await client.execute('SELECT x FROM t');
    expect(rows.rows.map((r) => r.x)).toEqual(['kept']);
  });

  it("makes 'read' transactions and batches read-only", async () => {
    const client = clientFor(newHandler());
    await client.execute('CREATE TABLE t (x INTEGER)');
    const tx = await client.transaction('read');
    expect((await tx.execute('SELECT count(*) AS c FROM t')).rows[0]?.c).toBe(0n);
    await expect(tx.execute('INSERT INTO t VALUES (1)')).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    await tx.commit();
    await expect(client.batch(['INSERT INTO t VALUES (1)'], 'read')).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    await client.batch(['INSERT INTO t VALUES (2)'], 'write');
    expect((await client.execute('SELECT x FROM t')).rows.map((r) => r.x)).toEqual([2n]);
  });

  it('isolates a transaction: other streams wait and then see only committed data', async () => {
    const client = clientFor(newHandler());
    await client.execute('CREATE TABLE t (x INTEGER)');
    const tx = await client.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');

    let outsideDone = false;
    const outside = client.execute('SELECT count(*) AS c FROM t').then((r) => {
      outsideDone = true;
      return r;
    });
    await sleep(50);
    expect(outsideDone).toBe(false);
    await tx.execute('INSERT INTO t VALUES (2)');
    await tx.commit();
    expect((await outside).rows[0]?.c).toBe(2n);
  });

  it('serializes concurrent transactions without lost updates or interleaving', async () => {
    const client = clientFor(newHandler());
    await client.execute('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
    await client.execute('INSERT INTO counter VALUES (1, 0)');
    const events: string[] = [];
    const increment = async (name: string) => {
      const tx = await client.transaction('write');
      const read = await tx.execute('SELECT n FROM counter WHERE id = 1');
      events.push(`${name}:read`);
      await sleep(10);
      await tx.execute({ sql: 'UPDATE counter SET n = ? WHERE id = 1', args: [(read.rows[0]?.n as bigint) + 1n] });
      events.push(`${name}:write`);
      await tx.commit();
    };
    const names = ['a', 'b', 'c', 'd'];
    await Promise.all(names.map(increment));

    expect((await client.execute('SELECT n FROM counter')).rows[0]?.n).toBe(4n);
    for (let i = 0; i < events.length; i += 2) {
      const name = events[i]?.split(':')[0];
      expect(events.slice(i, i + 2)).toEqual([`${name}:read`, `${name}:write`]);
    }
  });

  it('rolls back and releases an abandoned transaction after the idle timeout', async () => {
    const client = clientFor(newHandler({ idleTimeoutMs: 100 }));
    await client.execute('CREATE TABLE t (x INTEGER)');
    const tx = await client.transaction('write');
    await tx.execute('INSERT INTO t VALUES (1)');

    const started = Date.now();
    const count = await client.execute('SELECT count(*) AS c FROM t');
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    expect(count.rows[0]?.c).toBe(0n);
    await expect(tx.commit()).rejects.toMatchObject({ code: 'STREAM_EXPIRED' });
  });
});

describe('drizzle-orm over the web client', () => {
  const users = sqliteTable('users', {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
  });

  it('inserts, selects, batches and runs transactions', async () => {
    const client = clientFor(newHandler(), { intMode: 'number' });
    const db = drizzle(client);
    await client.execute('CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE)');

    const [ada] = await db.insert(users).values({ name: 'Ada', email: 'ada@example.com' }).returning();
    expect(ada).toEqual({ id: 1, name: 'Ada', email: 'ada@example.com' });
    const found = await db.select().from(users).where(eq(users.email, 'ada@example.com'));
    expect(found).toEqual([ada]);

    await db.batch([
      db.insert(users).values({ name: 'Bob', email: 'bob@example.com' }),
      db.update(users).set({ name: 'Ada L.' }).where(eq(users.id, 1)),
    ]);
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ name: 'Cy', email: 'cy@example.com' });
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(users).values({ name: 'Dee', email: 'dee@example.com' });
        tx.rollback();
      }),
    ).rejects.toThrow();

    const all = await db.select({ name: users.name }).from(users).orderBy(users.id);
    expect(all.map((u) => u.name)).toEqual(['Ada L.', 'Bob', 'Cy']);
  });
});

describe('database file, auth and HTTP', () => {
  it('persists data across close and reopen, with WAL and foreign keys on', async () => {
    const path = join(tempDir(), 'data.db');
    const first = createLibsqlHandler({ path });
    const writer = clientFor(first);
    await writer.execute('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    await writer.execute('CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))');
    await writer.execute({ sql: 'INSERT INTO parent VALUES (?)', args: [5n] });
    await expect(writer.execute('INSERT INTO child VALUES (1, 99)')).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    writer.close();
    first.close();

    const reader = clientFor(newHandler({ path }));
    expect((await reader.execute('SELECT id FROM parent')).rows[0]?.id).toBe(5n);
    expect((await reader.execute('PRAGMA journal_mode')).rows[0]?.[0]).toBe('wal');
    expect((await reader.execute('PRAGMA foreign_keys')).rows[0]?.[0]).toBe(1n);
  });

  it('requires the bearer token when one is configured', async () => {
    const handler = newHandler({ authToken: 'secret-token' });
    await expect(clientFor(handler).execute('SELECT 1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(clientFor(handler, { authToken: 'wrong' }).execute('SELECT 1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const ok = await clientFor(handler, { authToken: 'secret-token' }).execute('SELECT 1 AS one');
    expect(ok.rows[0]?.one).toBe(1n);

    const health = await handler.handle(new Request('http://libsql.local/health'));
    expect(health.status).toBe(200);
    expect((await handler.handle(new Request('http://libsql.local/v2'))).status).toBe(401);
  });

  it('serves the protocol on a real port through serveLibsql', async () => {
    const server = await serveLibsql({ path: ':memory:', port: 0, authToken: 'tok' });
    cleanups.push(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/v2`, { headers: { authorization: 'Bearer tok' } })).status).toBe(200);

    const client = createClient({ url: server.url, authToken: 'tok', intMode: 'bigint' });
    cleanups.push(() => client.close());
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)');
    await client.batch([{ sql: 'INSERT INTO t (x) VALUES (?)', args: ['over http'] }], 'write');
    const tx = await client.transaction('write');
    await tx.execute("INSERT INTO t (x) VALUES ('in tx')");
    await tx.commit();
    const rows = await client.execute('SELECT x FROM t ORDER BY id');
    expect(rows.rows.map((r) => r.x)).toEqual(['over http', 'in tx']);
  });
});

describe('raw Hrana v2 protocol', () => {
  it('answers GET /v2, rejects malformed bodies and unknown batons', async () => {
    const handler = newHandler();
    expect((await handler.handle(new Request('http://libsql.local/v2'))).status).toBe(200);
    expect((await handler.handle(new Request('http://libsql.local/v3-protobuf'))).status).toBe(404);
    expect((await pipeline(handler, '{not json')).status).toBe(400);
    expect((await pipeline(handler, { requests: 'nope' })).status).toBe(400);
    const unknown = await pipeline(handler, { baton: 'made-up', requests: [] });
    expect(unknown).toEqual({ status: 400, body: expect.objectContaining({ code: 'STREAM_EXPIRED' }) });
  });

  it('encodes results in the Hrana JSON format', async () => {
    const handler = newHandler();
    const args = [
      { type: 'integer', value: '-9223372036854775808' },
      { type: 'float', value: 0.5 },
      { type: 'text', value: 'x' },
      { type: 'blob', base64: 'AAH/' },
      { type: 'null' },
    ];
    const { body } = await pipeline(handler, {
      baton: null,
      requests: [
        { type: 'execute', stmt: { sql: 'SELECT ? AS i, ? AS f, ? AS t, ? AS b, ? AS n', args, want_rows: true } },
        { type: 'close' },
      ],
    });
    expect(body.baton).toBeNull();
    expect(body.base_url).toBeNull();
    expect(body.results[0]).toEqual({
      type: 'ok',
      response: {
        type: 'execute',
        result: expect.objectContaining({
          cols: ['i', 'f', 't', 'b', 'n'].map((name) => ({ name, decltype: null })),
          rows: [args],
          affected_row_count: 0,
          last_insert_rowid: null,
        }),
      },
    });
  });

  it('keeps batons single-use and tracks autocommit, stored SQL and close', async () => {
    const handler = newHandler();
    const first = await pipeline(handler, {
      baton: null,
      requests: [
        { type: 'store_sql', sql_id: 1, sql: 'SELECT ? AS v' },
        { type: 'execute', stmt: { sql: 'BEGIN' } },
        { type: 'get_autocommit' },
      ],
    });
    const baton = first.body.baton as string;
    expect(typeof baton).toBe('string');
    expect(first.body.results[2].response).toEqual({ type: 'get_autocommit', is_autocommit: false });

    const second = await pipeline(handler, {
      baton,
      requests: [
        { type: 'execute', stmt: { sql_id: 1, args: [{ type: 'text', value: 'stored' }] } },
        { type: 'close_sql', sql_id: 1 },
        { type: 'execute', stmt: { sql_id: 1 } },
        { type: 'execute', stmt: { sql: 'ROLLBACK' } },
        { type: 'get_autocommit' },
      ],
    });
    expect(second.body.baton).not.toBe(baton);
    const results = second.body.results;
    expect(results[0].response.result.rows).toEqual([[{ type: 'text', value: 'stored' }]]);
    expect(results[2]).toEqual({ type: 'error', error: expect.objectContaining({ code: 'SQL_NOT_FOUND' }) });
    expect(results[4].response.is_autocommit).toBe(true);

    expect((await pipeline(handler, { baton, requests: [] })).status).toBe(400);
    const closed = await pipeline(handler, { baton: second.body.baton, requests: [{ type: 'close' }, { type: 'get_autocommit' }] });
    expect(closed.body.baton).toBeNull();
    expect(closed.body.results[1]).toEqual({ type: 'error', error: expect.objectContaining({ code: 'STREAM_CLOSED' }) });
  });

  it('evaluates batch step conditions', async () => {
    const handler = newHandler();
    const step = (sql: string, condition?: unknown) => ({ condition, stmt: { sql } });
    const { body } = await pipeline(handler, {
      baton: null,
      requests: [
        {
          type: 'batch',
          batch: {
            steps: [
              step('SELECT 1'),
              step('SELECT * FROM missing'),
              step('SELECT 2', { type: 'ok', step: 0 }),
              step('SELECT 3', { type: 'ok', step: 1 }),
              step('SELECT 4', { type: 'error', step: 1 }),
              step('SELECT 5', { type: 'not', cond: { type: 'ok', step: 0 } }),
              step('SELECT 6', {
                type: 'and',
                conds: [
                  { type: 'ok', step: 0 },
                  { type: 'error', step: 1 },
                ],
              }),
              step('SELECT 7', {
                type: 'or',
                conds: [
                  { type: 'ok', step: 1 },
                  { type: 'error', step: 0 },
                ],
              }),
              step('SELECT 8', { type: 'is_autocommit' }),
            ],
          },
        },
        { type: 'batch', batch: { steps: [step('SELECT 1', { type: 'ok', step: 0 })] } },
        { type: 'describe', sql: 'SELECT 1 AS one, ? AS a, :b AS b' },
      ],
    });
    const { step_results: results, step_errors: errors } = body.results[0].response.result;
    expect(results.map((r: unknown) => r !== null)).toEqual([true, false, true, false, true, false, true, false, true]);
    expect(errors.map((e: unknown) => e !== null)).toEqual([false, true, false, false, false, false, false, false, false]);
    expect(errors[1]).toEqual({ code: 'SQLITE_ERROR', message: expect.stringContaining('no such table: missing') });
    expect(body.results[1]).toEqual({ type: 'error', error: expect.objectContaining({ code: 'BATCH_COND_BAD_STEP' }) });
    expect(body.results[2].response.result).toEqual({
      params: [{ name: null }, { name: ':b' }],
      cols: [
        { name: 'one', decltype: null },
        { name: 'a', decltype: null },
        { name: 'b', decltype: null },
      ],
      is_explain: false,
      is_readonly: true,
    });
  });
});
