import { defineConfig } from 'drizzle-kit';

/** Migrations of the bucket Durable Object's SQLite storage. */
export default defineConfig({
  dialect: 'sqlite',
  driver: 'durable-sqlite',
  schema: './schema/bucket.ts',
  out: './schema/migrations/bucket',
});
