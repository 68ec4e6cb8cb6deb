/**
 * The Console's static assets: its stylesheet and its client scripts, served from `/console/assets/` with a
 * version in the URL (a hash of the content), so browsers and the edge keep them for a year and a new build is
 * fetched at once. The Content-Security-Policy allows scripts and styles from this origin only, so every script
 * is one of these files, never inline.
 */
import { STYLE } from '../style.ts';
import live from './live.client.js';

/** The Console's look over the Cloud Store's: the shell, forms, status tags, the progress bar. */
const CONSOLE_STYLE = `${STYLE}
header.site .region { margin-left: auto; display: flex; gap: .75rem; align-items: center; }
header.site form { display: inline; margin: 0; }
.shell { display: grid; grid-template-columns: 13rem 1fr; min-height: 80vh; }
.shell > nav { border-right: 1px solid var(--line); padding: 1rem; } .shell > nav ul { list-style: none; padding: 0; margin: 0; }
.shell > nav li a { display: block; padding: .35rem .5rem; border-radius: .25rem; text-decoration: none; }
.shell > nav li a[aria-current="page"] { background: #e8eef7; font-weight: 600; }
.shell > main { max-width: none; margin: 0; }
form.stack { display: grid; gap: .75rem; max-width: 36rem; margin: 1rem 0; }
form.stack label, form.stack legend { font-weight: 600; display: block; }
form.stack input, form.stack select, form.stack textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #767676; border-radius: .25rem; width: 100%; }
form.stack input[type="checkbox"] { width: auto; } form.stack input[type="checkbox"] + label { display: inline; }
ul.tabs { list-style: none; display: flex; gap: 1rem; padding: 0; margin: 0 0 1rem; border-bottom: 1px solid var(--line); }
ul.tabs a { display: inline-block; padding: .35rem .25rem; text-decoration: none; } ul.tabs a[aria-current="page"] { border-bottom: 3px solid #0b57a4; font-weight: 600; }
.hint { color: var(--muted); font-size: .9rem; margin: .15rem 0 0; }
.error { color: #a4000f; font-weight: 600; margin: .15rem 0 0; }
[role="alert"].banner { border: 2px solid #a4000f; color: #a4000f; padding: .5rem .75rem; border-radius: .25rem; }
[role="status"].banner { border: 2px solid #1e6b2e; color: #1e6b2e; padding: .5rem .75rem; border-radius: .25rem; }
button, .button { font: inherit; padding: .35rem .8rem; border-radius: .25rem; border: 1px solid #0b57a4; background: #0b57a4; color: #fff; cursor: pointer; text-decoration: none; }
button.quiet { background: #fff; color: #0b57a4; } button.danger { background: #a4000f; border-color: #a4000f; }
.actions { display: flex; gap: .4rem; flex-wrap: wrap; } .actions form { margin: 0; }
.status { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; border: 1px solid; font-size: .85rem; font-weight: 600; }
.status.ok { color: #1e6b2e; } .status.busy { color: #7a4d00; } .status.bad { color: #a4000f; } .status.off { color: #4a4a4a; }
progress { width: 100%; height: 1.25rem; }
pre.log { background: #f4f4f4; padding: .75rem; overflow: auto; max-height: 24rem; }
nav.subnav ul { list-style: none; padding: 0; margin: 0 0 1rem; } nav.subnav a[aria-current="page"] { font-weight: 700; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dl.facts dt { font-weight: 600; }
`;

interface Asset {
  body: string;
  type: string;
  version: string;
}

const assets = new Map<string, Asset>();

/** A short content hash (FNV-1a), the asset's version in its URL. */
function version(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** Registers a client script, served at `/console/assets/<name>.js`. */
export function asset(name: string, js: string): void {
  assets.set(`${name}.js`, { body: js, type: 'text/javascript; charset=utf-8', version: version(js) });
}

assets.set('console.css', { body: CONSOLE_STYLE, type: 'text/css; charset=utf-8', version: version(CONSOLE_STYLE) });
asset('live', live);

/** The versioned URL of a registered asset (`/console/assets/live.js?v=1x2y3z`); an unknown one is a bug. */
export function assetUrl(file: string): string {
  const a = assets.get(file);
  if (!a) throw new Error(`No Console asset ${file} is registered.`);
  return `/console/assets/${file}?v=${a.version}`;
}

/** The asset of a file name, if registered. */
export const assetOf = (file: string): Asset | undefined => assets.get(file);

/** Every registered asset's name and size in bytes (the bench weighs each page's scripts). */
export const assetSizes = (): [string, number][] => [...assets].map(([n, a]) => [n, new TextEncoder().encode(a.body).length]);
