/** limit/marker pagination over lists already sorted by a stable key. */
import { badRequest } from './errors.ts';
import { param } from './validate.ts';

export interface Page<T> {
  items: T[];
  /** The marker for the next page, when there may be one. */
  next?: string;
}

/** True when a query value is a non-negative integer (as Number reads it: '' and ' ' are 0). */
export const isCount = (raw: string) => Number.isInteger(Number(raw)) && Number(raw) >= 0;

/** A non-negative integer query value, as Number reads it ('' is 0), refused with `message(raw)`. */
export function countParam(message: (raw: string) => string) {
  return param(isCount, message)
    .optional()
    .transform((raw) => (raw === undefined ? undefined : Number(raw)));
}

/** `limit` as IAM and the native APIs read it: empty is none, else a non-negative integer, capped at `max`. */
export function limitParam(max = 1000) {
  return param(
    (raw) => raw === '' || isCount(raw),
    (raw) => `Invalid limit '${raw}': it must be a non-negative integer.`,
  )
    .optional()
    .transform((raw) => (raw === undefined || raw === '' ? undefined : Math.min(Number(raw), max)));
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
