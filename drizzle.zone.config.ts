import { defineConfig } from 'drizzle-kit';

/** Migrations of the zone Durable Object's SQLite storage. */
export default defineConfig({
  dialect: 'sqlite',
  driver: 'durable-sqlite',
  schema: './schema/zone.ts',
  out: './schema/migrations/zone',
});
