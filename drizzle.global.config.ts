import { defineConfig } from 'drizzle-kit';

/** Migrations of the global directory (libSQL). */
export default defineConfig({
  dialect: 'sqlite',
  driver: 'durable-sqlite',
  schema: './schema/global.ts',
  out: './schema/migrations/global',
});
