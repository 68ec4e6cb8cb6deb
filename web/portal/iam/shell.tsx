/**
 * Where the IAM pages are shown: the Customer Portal (in the Cloud Store) and the Console's IAM section run the
 * same routes and page bodies; each gives its own page shell, its path, and how a refusal renders as a page.
 */
import type { Child } from 'hono/jsx';
import type { AppContext } from '../../../workers/lib/app.ts';

export interface IamShell {
  /** The path the pages are mounted at (`/store/portal`, `/console/iam`). */
  base: string;
  /** A whole page of this shell around the content (the status is the one the context has). */
  page(c: AppContext, title: string, content: Child): Response | Promise<Response>;
  /** A refusal (an ApiError) or a failure as a page of this shell. */
  error(err: unknown, c: AppContext): Response | Promise<Response>;
}

/** The IAM pages' own navigation, in the order a person goes through them. */
const PAGES = [
  ['', 'Profile'],
  ['/users', 'Users'],
  ['/groups', 'Groups'],
  ['/policies', 'Roles and policies'],
  ['/credentials', 'My access keys'],
  ['/password', 'My password'],
] as const;

/** A page body: the IAM navigation (the current page marked), the heading, the content. */
export function IamBody(props: { shell: IamShell; current: string; title: string; children: Child }) {
  const { base } = props.shell;
  return (
    <>
      <nav aria-label="Identity and access" class="subnav">
        <ul class="actions">
          {PAGES.map(([path, label]) => (
            <li>
              <a href={`${base}${path}`} aria-current={props.current === path ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </>
  );
}

/** The one answer a page gives: the shell's page of an IAM body. */
export function iamPage(c: AppContext, shell: IamShell, current: string, title: string, content: Child) {
  return shell.page(
    c,
    title,
    <IamBody shell={shell} current={current} title={title}>
      {content}
    </IamBody>,
  );
}
