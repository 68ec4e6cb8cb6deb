/**
 * The Customer Portal at `/store/portal`, inside the Cloud Store but signed in: the same session as the Console
 * (web/session/session.ts) with its CSRF check, never cached (the session marks every answer no-store, and the
 * store's edge cache covers its public pages only). It holds the account's identity and access pages, and its
 * billing: usage, invoices and price notices.
 */
import { router } from '../../workers/lib/app.ts';
import { webSecurity } from '../session/headers.ts';
import { csrf, session, takeFlash } from '../session/session.ts';
import { billingPages } from './billing/billing.pages.tsx';
import { iamPages } from './iam/iam.pages.tsx';
import { PortalPage, renderPortalError } from './layout.tsx';

export const portalApp = router();
portalApp.onError((err, c) => renderPortalError(err, c));
portalApp.use('*', webSecurity(), session(), csrf(), takeFlash());

portalApp.route(
  '/',
  iamPages({
    base: '/store/portal',
    page: (c, title, content) =>
      c.html(
        <PortalPage c={c} title={title}>
          {content}
        </PortalPage>,
      ),
    error: renderPortalError,
  }),
);

portalApp.route('/billing', billingPages());
