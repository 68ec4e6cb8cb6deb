import { defineConfig } from 'drizzle-kit';

/** Migrations of the host Durable Object's SQLite storage. */
export default defineConfig({
  dialect: 'sqlite',
  driver: 'durable-sqlite',
  schema: './schema/host.ts',
  out: './schema/migrations/host',
});
