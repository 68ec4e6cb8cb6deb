/**
 * The Customer Portal's shell: the Cloud Store's page (web/layout.tsx) signed in, with who is signed in, a way to
 * the Console and sign-out in its header, the one-time message of the last form, and the Console's stylesheet (a
 * signed-in page's Content-Security-Policy allows no inline style).
 */
import type { Child } from 'hono/jsx';
import type { AppContext } from '../../workers/lib/app.ts';
import { assetUrl } from '../console/assets.ts';
import { refusalOf } from '../console/kit.tsx';
import { SignOut } from '../console/layout.tsx';
import { Page } from '../layout.tsx';

function Account({ c }: { c: AppContext }) {
  const p = c.get('principal');
  if (!p) return null;
  return (
    <div class="region">
      <span>
        {p.userName} <span class="hint">({p.domainName})</span>
      </span>
      <a href="/store/portal">My account</a>
      <a href="/store/portal/billing/usage">Billing</a>
      <a href="/console">Console</a>
      <SignOut c={c} />
    </div>
  );
}

/** A page of the Customer Portal. */
export function PortalPage(props: { c: AppContext; title: string; children: Child }) {
  const { c } = props;
  const flash = c.get('flash');
  return (
    <Page
      origin={new URL(c.req.url).origin}
      path={new URL(c.req.url).pathname}
      title={`${props.title} | Customer Portal`}
      description="The Customer Portal: your account, its users, groups, roles and policies, your password and access keys, your usage and invoices."
      signedIn={{ stylesheet: assetUrl('console.css'), csrf: c.get('csrf') ?? '', account: <Account c={c} /> }}
    >
      {flash && (
        <p role="status" class="banner">
          {flash}
        </p>
      )}
      {props.children}
    </Page>
  );
}

/** A refusal or failure as a Portal page (what it says is the Console's: `refusalOf`). */
export function renderPortalError(err: unknown, c: AppContext): Response {
  const { status, message, title } = refusalOf(err, c);
  c.status(status as 500);
  return c.html(
    <PortalPage c={c} title={title}>
      <h1>{title}</h1>
      <p role="alert" class="banner">
        {message}
      </p>
      <p>
        <a href={status === 401 ? '/console/sign-in?next=%2Fstore%2Fportal' : '/store/portal'}>
          {status === 401 ? 'Sign in' : 'Back to the Customer Portal'}
        </a>
      </p>
    </PortalPage>,
  ) as unknown as Response;
}
