/**
 * The Customer Portal's billing pages at `/store/portal/billing`: usage, invoices, price notices and budget alerts,
 * the support plan and subscriptions with their renewals, credits and the budget. Each calls
 * the billing use cases (workers/bss/usecases) behind the API's own policy actions, never the HTTP API.
 */
import { router } from '../../../workers/lib/app.ts';
import { renderPortalError } from '../layout.tsx';
import { accountRoutes } from './account.page.tsx';
import { invoiceRoutes } from './invoices.page.tsx';
import { noticeRoutes } from './notices.page.tsx';
import { planRoutes } from './plans.page.tsx';
import { usageRoutes } from './usage.page.tsx';

/** The billing pages; a refusal renders as a Portal page. */
export function billingPages() {
  const r = router();
  r.onError((err, c) => renderPortalError(err, c));
  usageRoutes(r);
  invoiceRoutes(r);
  noticeRoutes(r);
  planRoutes(r);
  accountRoutes(r);
  return r;
}
