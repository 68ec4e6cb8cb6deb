import { defineConfig } from 'drizzle-kit';

/** Migrations of the UserGuard Durable Object's SQLite storage. */
export default defineConfig({
  dialect: 'sqlite',
  driver: 'durable-sqlite',
  schema: './schema/user-guard.ts',
  out: './schema/migrations/user-guard',
});
