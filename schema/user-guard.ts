/**
 * State of one user's guard Durable Object: token revocations and sign-in failures.
 * Kept per user so that checking a token never waits on the global directory.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A single revoked token (by its `jti`), kept until the token would have expired anyway. */
export const revokedTokens = sqliteTable('revoked_tokens', {
  jti: text('jti').primaryKey(),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * A revocation event: every token of this user issued at or before `issuedBefore` (epoch seconds) is invalid,
 * limited to one project when `projectId` is set (a role removed there).
 */
export const revocationEvents = sqliteTable('revocation_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  issuedBefore: integer('issued_before').notNull(),
  projectId: text('project_id'),
  reason: text('reason').notNull(),
});

/** Consecutive failed sign-ins and the lock they caused. */
export const signInFailures = sqliteTable('sign_in_failures', {
  id: integer('id').primaryKey(),
  count: integer('count').notNull().default(0),
  lockedUntil: integer('locked_until'),
});
