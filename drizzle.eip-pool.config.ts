import { defineConfig } from 'drizzle-kit';

/** Migrations of the eip-pool Durable Object's SQLite storage. */
export default defineConfig({
  dialect: 'sqlite',
  driver: 'durable-sqlite',
  schema: './schema/eip-pool.ts',
  out: './schema/migrations/eip-pool',
});
