/**
 * Generates the drizzle-kit migrations of every store: each `schema/<store>.ts` (a Durable Object kind, or
 * `global` for the directory) gets its folder `schema/migrations/<store>`. A new store needs only its schema file.
 * Run with `npm run db:generate` (Node 22); extra arguments go to drizzle-kit (`--name add_volumes`).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const stores = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'generate.ts')
  .map((f) => f.slice(0, -3));

for (const store of stores) {
  console.log(`== ${store}`);
  execFileSync(
    'npx',
    [
      'drizzle-kit',
      'generate',
      '--dialect=sqlite',
      '--driver=durable-sqlite',
      `--schema=${join('schema', `${store}.ts`)}`,
      `--out=${join('schema', 'migrations', store)}`,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', cwd: join(dir, '..') },
  );
}
