/** Applies the drizzle-kit migrations of the global directory, once, inside one write transaction. */
import type { Client } from '@libsql/client/web';
import migrations from '../../schema/migrations/global/migrations.js';

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

/** Brings the directory's schema up to date; safe when several isolates start at once. */
export async function migrateDirectory(client: Client): Promise<void> {
  const { journal, migrations: files } = migrations as { journal: Journal; migrations: Record<string, string> };
  const tx = await client.transaction('write');
  try {
    await tx.execute('CREATE TABLE IF NOT EXISTS __migrations (tag TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set((await tx.execute('SELECT tag FROM __migrations')).rows.map((r) => String(r.tag)));
    for (const entry of journal.entries) {
      if (applied.has(entry.tag)) continue;
      const sql = files[`m${String(entry.idx).padStart(4, '0')}`];
      if (!sql) throw new Error(`migration ${entry.tag} is missing from the bundle`);
      for (const statement of sql.split('--> statement-breakpoint')) {
        if (statement.trim()) await tx.execute(statement);
      }
      await tx.execute({ sql: 'INSERT INTO __migrations (tag, applied_at) VALUES (?, ?)', args: [entry.tag, new Date().toISOString()] });
    }
    await tx.commit();
  } finally {
    tx.close();
  }
}
