import { defineConfig } from 'drizzle-kit';

/** Migrations of the tenant Durable Object's SQLite storage. */
export default defineConfig({
  dialect: 'sqlite',
  driver: 'durable-sqlite',
  schema: './schema/tenant.ts',
  out: './schema/migrations/tenant',
});
