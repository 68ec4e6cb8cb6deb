/** State of a region's EipPoolDO: which public address is held by which Elastic IP of which project. */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const heldAddresses = sqliteTable('held_addresses', {
  /** The address as a 32-bit integer: the primary key is what makes it impossible to hand out twice. */
  ip: integer('ip').primaryKey(),
  /** The Elastic IP holding it: allocation is idempotent per EIP id. */
  eipId: text('eip_id').notNull().unique(),
  projectId: text('project_id').notNull(),
  heldAt: text('held_at').notNull(),
});
