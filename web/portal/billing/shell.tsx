/**
 * The billing pages' frame in the Customer Portal: their tabs (usage, invoices, notices, plans, credits, budget) over
 * the page's heading.
 */
import type { Child } from 'hono/jsx';
import type { AppContext } from '../../../workers/lib/app.ts';
import { Tabs } from '../../console/kit.tsx';
import { PortalPage } from '../layout.tsx';

/** Where the billing pages live. */
export const BILLING = '/store/portal/billing';

const TABS = [
  { key: 'usage', href: `${BILLING}/usage`, label: 'Usage' },
  { key: 'invoices', href: `${BILLING}/invoices`, label: 'Invoices' },
  { key: 'notices', href: `${BILLING}/notices`, label: 'Price notices' },
  { key: 'plans', href: `${BILLING}/plans`, label: 'Support plan and subscriptions' },
  { key: 'credits', href: `${BILLING}/credits`, label: 'Credits' },
  { key: 'budget', href: `${BILLING}/budget`, label: 'Budget' },
] as const;

export type BillingTab = (typeof TABS)[number]['key'];

/** A billing page: the Portal's shell, the billing tabs with the current one marked, the heading, the content. */
export function billingPage(c: AppContext, tab: BillingTab, title: string, content: Child) {
  return c.html(
    <PortalPage c={c} title={title}>
      <Tabs label="Billing" current={tab} tabs={TABS} />
      <h1>{title}</h1>
      {content}
    </PortalPage>,
  );
}
