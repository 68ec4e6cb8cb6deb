/** A SQL condition for "the column contains this text", as the APIs' fuzzy name filters ask. */
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/**
 * `column LIKE '%text%'` with the text's own `%`, `_` and `\` taken literally (SQLite's LIKE has no escape
 * character unless the query names one), case-insensitive for ASCII as LIKE is.
 */
export function contains(column: SQLWrapper, text: string): SQL {
  return sql`${column} LIKE ${`%${text.replace(/[%_\\]/g, '\\$&')}%`} ESCAPE '\\'`;
}
