/** limit/marker pagination over lists already sorted by a stable key. */
import { badRequest } from './errors.ts';

export interface Page<T> {
  items: T[];
  /** The marker for the next page, when there may be one. */
  next?: string;
}

/** Parses `limit` (positive integer, capped) from a query value. */
export function parseLimit(raw: string | undefined, max = 1000): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid limit '${raw}': it must be a non-negative integer.`);
  return Math.min(n, max);
}

/** Cuts a page after `marker` (an item key; unknown markers are a 400 as in Nova and Neutron). */
export function paginate<T>(items: T[], key: (item: T) => string, limit?: number, marker?: string): Page<T> {
  let start = 0;
  if (marker) {
    const at = items.findIndex((item) => key(item) === marker);
    if (at < 0) throw badRequest(`marker [${marker}] not found`);
    start = at + 1;
  }
  if (limit === undefined) return { items: items.slice(start) };
  const page = items.slice(start, start + limit);
  const last = page.at(-1);
  return { items: page, next: start + limit < items.length && last ? key(last) : undefined };
}
