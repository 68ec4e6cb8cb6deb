/**
 * Reading Console pages in workerd tests as a user reads them: the words of a page, the message next to a field,
 * a form's redirect followed with its one-time message, and a live region's rows polled until a row shows a status.
 */
import { expect } from 'vitest';
import { call } from '../request.ts';
import { type ConsoleSession, cookieSet, type WebReply } from './console.ts';

/** The text of HTML as a reader sees it (the entities the pages escape, decoded). */
export const words = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The message shown next to a field, if any. */
export function fieldError(r: WebReply, field: string): string | undefined {
  const m = new RegExp(`<p class="error" id="${field}-error" role="alert">([^<]*)</p>`).exec(r.html)?.[1];
  return m === undefined ? undefined : words(m);
}

/** Follows a form's 303 as a browser does: the page it names, with the one-time message cookie it set. */
export async function follow(s: ConsoleSession, r: WebReply): Promise<string> {
  expect(r.status, r.html).toBe(303);
  const flash = cookieSet(r, 'fe_flash');
  const res = await call(r.location!, { headers: { Cookie: flash ? `${s.cookie}; fe_flash=${flash}` : s.cookie } });
  return words(await res.text());
}

/** The status a live row shows (`data-status` of the tag in `<tr data-<kind>="<id>">`). */
export function rowStatus(html: string, kind: string, id: string): string | undefined {
  const row = new RegExp(`<tr data-${kind}="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1];
  return row ? /data-status="([^"]+)"/.exec(row)?.[1] : undefined;
}

/**
 * Polls a live region's rows until the row shows `status` with nothing in progress on it; answers the statuses
 * seen on the way, in order.
 */
export async function rowsUntil(
  s: ConsoleSession,
  rows: string,
  row: { kind: string; id: string },
  status: string,
  timeoutMs = 15_000,
): Promise<string[]> {
  const seen: string[] = [];
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const page = await s.page(rows);
    expect(page.status).toBe(200);
    const now = rowStatus(page.html, row.kind, row.id);
    if (now && seen.at(-1) !== now) seen.push(now);
    const busy = new RegExp(`<tr data-${row.kind}="${row.id}" data-busy`).test(page.html);
    if (now === status && !busy) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${row.kind} ${row.id} did not show ${status} in ${rows}: ${seen.join(' → ')}`);
}

/** The id a live row of that name has (`<tr data-<kind>="id"><td><a ...>name</a>` or `<td>name</td>`). */
export function rowIdOf(html: string, kind: string, name: string): string | undefined {
  return new RegExp(`<tr data-${kind}="([^"]+)"[^>]*>\\s*<td>(?:<a href="[^"]+">)?${name}(?:</a>)?</td>`).exec(html)?.[1];
}
