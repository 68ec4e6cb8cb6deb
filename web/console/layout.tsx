/**
 * The Console's page shell: the header with the region switcher, who is signed in and the sign-out button; the
 * navigation over the sections; the one-time message of the last form; the stylesheet and scripts as assets (the
 * Content-Security-Policy allows nothing inline).
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { REGIONS } from '../../core/regions.ts';
import type { AppContext } from '../../workers/lib/app.ts';
import { regionOfProject } from '../../workers/lib/tenant.ts';
import { assetUrl } from './assets.ts';
import { SECTIONS } from './sections.ts';

/** The region the session works in: the region its project is named after. */
export function sessionRegion(c: AppContext): string {
  const p = c.get('principal');
  return p?.scope.type === 'project' ? regionOfProject(p.scope.projectName, c.env.DEFAULT_REGION) : c.env.DEFAULT_REGION;
}

/** A hidden field with the session's CSRF token: every form that changes something carries it. */
export function CsrfField({ c }: { c: AppContext }) {
  return <input type="hidden" name="_csrf" value={c.get('csrf') ?? ''} />;
}

/** The sign-out button (the Console's header and the Portal's): it revokes the session's token. */
export function SignOut({ c }: { c: AppContext }) {
  return (
    <form method="post" action="/console/sign-out">
      <CsrfField c={c} />
      <button type="submit" class="quiet">
        Sign out
      </button>
    </form>
  );
}

function Account({ c }: { c: AppContext }) {
  const p = c.get('principal');
  if (!p) return null;
  const region = sessionRegion(c);
  return (
    <div class="region">
      <form method="post" action="/console/region">
        <CsrfField c={c} />
        <label for="region-switch">Region</label>{' '}
        <select id="region-switch" name="region">
          {REGIONS.map((r) => (
            <option value={r} selected={r === region}>
              {r}
            </option>
          ))}
        </select>{' '}
        <button type="submit" class="quiet">
          Switch
        </button>
      </form>
      <span>
        {p.userName} <span class="hint">({p.domainName})</span>
      </span>
      <SignOut c={c} />
    </div>
  );
}

/** A client script, from the registered assets (`name` as registered, or its `/console/assets/<name>.js` path). */
export function Script({ src }: { src: string }) {
  const file = src.replace(/^\/console\/assets\//, '').replace(/(\.js)?$/, '.js');
  return <script src={assetUrl(file)} defer />;
}

/** A Console page: `section` names the navigation entry it belongs to (none for the overview and sign-in). */
export function ConsolePage(props: { c: AppContext; title: string; section?: string; children: Child }) {
  const { c } = props;
  const signedIn = Boolean(c.get('principal'));
  const flash = c.get('flash');
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${props.title} | Flexible Engine Console`}</title>
          <link rel="stylesheet" href={assetUrl('console.css')} />
          {signedIn && <meta name="csrf-token" content={c.get('csrf') ?? ''} />}
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to the content
          </a>
          <header class="site">
            <a class="brand" href="/console">
              Flexible Engine Console
            </a>
            <Account c={c} />
          </header>
          {signedIn ? (
            <div class="shell">
              <nav aria-label="Services">
                <ul>
                  <li>
                    <a href="/console" aria-current={props.section === undefined ? 'page' : undefined}>
                      Overview
                    </a>
                  </li>
                  {SECTIONS.map((s) => (
                    <li>
                      <a href={s.home} aria-current={props.section === s.name ? 'page' : undefined}>
                        {s.title}
                      </a>
                    </li>
                  ))}
                  <li>
                    <a href="/store/portal">Customer Portal</a>
                  </li>
                </ul>
              </nav>
              <main id="main">
                {flash && (
                  <p role="status" class="banner">
                    {flash}
                  </p>
                )}
                {props.children}
              </main>
            </div>
          ) : (
            <main id="main">{props.children}</main>
          )}
          {signedIn && <Script src="live" />}
        </body>
      </html>
    </>
  );
}
