/** The HTML shell of every page: language, title and description for search engines, a skip link, the site's nav. */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { STYLE } from './style.ts';

export interface PageMeta {
  title: string;
  description: string;
  /** The page's own path, for its canonical link. */
  path: string;
}

/** What a signed-in page (the Customer Portal) adds to the shell. */
export interface SignedInShell {
  /** The stylesheet's URL: a signed-in page's Content-Security-Policy allows no inline style. */
  stylesheet: string;
  /** The session's CSRF token, for the page's scripts. */
  csrf: string;
  /** What the header shows at its end (who is signed in, sign out). */
  account: Child;
}

/** The Cloud Store's page shell; `signedIn` for the Customer Portal's pages. */
export function Page(props: PageMeta & { origin: string; children: Child; signedIn?: SignedInShell }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} | Flexible Engine Cloud Store`}</title>
          <meta name="description" content={props.description} />
          <link rel="canonical" href={`${props.origin}${props.path}`} />
          {props.signedIn ? (
            <>
              <link rel="stylesheet" href={props.signedIn.stylesheet} />
              <meta name="csrf-token" content={props.signedIn.csrf} />
              <meta name="robots" content="noindex" />
            </>
          ) : (
            <style>{raw(STYLE)}</style>
          )}
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to the content
          </a>
          <header class="site">
            <a class="brand" href="/store">
              Flexible Engine
            </a>
            <nav aria-label="Cloud Store">
              <ul>
                <li>
                  <a href="/store">Services</a>
                </li>
                <li>
                  <a href="/store/support">Support plans</a>
                </li>
                <li>
                  <a href="/store/calculator">Price calculator</a>
                </li>
              </ul>
            </nav>
            {props.signedIn?.account}
          </header>
          <main id="main">{props.children}</main>
          <footer class="site">
            <p>Orange Flexible Engine. The service descriptions are the provider's own (Service Description, clause 1.2.3 and 1.3).</p>
          </footer>
        </body>
      </html>
    </>
  );
}
