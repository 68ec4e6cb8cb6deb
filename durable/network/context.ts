/** What every network module works with: the tenant's database and the clock. */
import type { DrizzleSqliteDODatabase } from 'drizzle-orm/durable-sqlite';

export interface Ctx {
  db: DrizzleSqliteDODatabase;
  /** ISO time of the operation, one value for every row it writes. */
  now: string;
}
