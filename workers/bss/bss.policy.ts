/**
 * The policy actions of billing (BSS): the price list and its revisions, the notices of revisions, and the
 * account's usage. Each lists the operations (method, path) it covers.
 */
import { defineActions } from '../auth/actions.ts';

const V2 = '/bss/v2';
/** The Customer Portal's billing pages, which read through the same actions. */
const PORTAL = '/store/portal/billing';

export const bssActions = defineActions('bss', {
  'prices:list': {
    description: 'Read the price list, its revisions and the price in effect on a date',
    scope: 'domain',
    operations: [`GET ${V2}/prices`, `GET ${V2}/prices/{line_id}/revisions`],
  },
  'prices:publish': {
    description: 'Publish a revision of the price list (clause 1.4: increases 15 days ahead)',
    scope: 'operator',
    refusal: 'Only the cloud operator publishes prices.',
    operations: [`POST ${V2}/prices/revisions`],
  },
  'notices:list': {
    description: "Read the account's notices of price revisions and its budget alerts",
    scope: 'domain',
    operations: [`GET ${V2}/price-notices`, `GET ${PORTAL}/notices`],
  },
  'invoices:list': {
    description: "List the account's invoices",
    scope: 'domain',
    operations: [`GET ${V2}/invoices`, `GET ${PORTAL}/invoices`],
  },
  'invoices:get': {
    description: 'Read an invoice with its lines or as a PDF, and check that rating its month again gives the same invoice',
    scope: 'domain',
    operations: [
      `GET ${V2}/invoices/{month}`,
      `GET ${V2}/invoices/{month}/pdf`,
      `GET ${V2}/invoices/{month}/verification`,
      `GET ${PORTAL}/invoices/{month} (the page, and its PDF as {month}.pdf)`,
    ],
  },
  'invoices:close': {
    description: "Close an account's month (the month-end job does it for every account)",
    scope: 'operator',
    refusal: 'Only the cloud operator closes invoices.',
    operations: [`POST ${V2}/invoices/close`],
  },
  'orders:create': {
    description: 'Place orders for subscriptions (Reserved Instances, Bare Metal Servers, WorkSpace, Direct Connect)',
    scope: 'domain',
    operations: [`POST ${V2}/orders`],
  },
  'orders:pay': {
    description: 'Pay orders, which starts their subscriptions',
    scope: 'domain',
    operations: [`POST ${V2}/orders/customer-orders/pay`],
  },
  'orders:cancel': {
    description: 'Cancel orders not yet paid',
    scope: 'domain',
    operations: [`POST ${V2}/orders/customer-orders/cancel`],
  },
  'orders:get': {
    description: 'Read orders',
    scope: 'domain',
    operations: [`GET ${V2}/orders/customer-orders/details/{order_id}`],
  },
  'subscriptions:list': {
    description: "List the account's subscriptions",
    scope: 'domain',
    operations: [`POST ${V2}/orders/suscriptions/resources/query`],
  },
  'subscriptions:delete': {
    description: 'End subscriptions (a Bare Metal Server; a Reserved Instance runs its term)',
    scope: 'domain',
    operations: [`POST ${V2}/orders/subscriptions/resources/unsubscribe`],
  },
  'subscriptions:renew': {
    description: 'Renew Reserved Instances (a new term priced at its start) and set or cancel their auto-renewal',
    scope: 'domain',
    operations: [
      `POST ${V2}/orders/subscriptions/resources/renew`,
      `POST ${V2}/orders/subscriptions/resources/autorenew/{resource_id}`,
      `DELETE ${V2}/orders/subscriptions/resources/autorenew/{resource_id}`,
      `POST ${PORTAL}/plans/{resource_id}/renew`,
      `POST ${PORTAL}/plans/{resource_id}/autorenew`,
    ],
  },
  'credits:grant': {
    description: 'Grant an account a credit off its invoices (amount, reason, expiry)',
    scope: 'operator',
    refusal: 'Only the cloud operator grants credits.',
    operations: [`POST ${V2}/credits`],
  },
  'credits:list': {
    description: "Read the account's credits and what each has left",
    scope: 'domain',
    operations: [`GET ${V2}/credits`, `GET ${PORTAL}/credits`],
  },
  'notifications:get': {
    description: "Read the SMN topic the account's billing notices are sent to",
    scope: 'domain',
    operations: [`GET ${V2}/notification-settings`],
  },
  'notifications:update': {
    description: "Choose (or clear) the SMN topic the account's billing notices are sent to",
    scope: 'domain',
    operations: [`PUT ${V2}/notification-settings`],
  },
  'budget:get': {
    description: "Read the account's monthly budget, its month-to-date charges and its threshold notices",
    scope: 'domain',
    operations: [`GET ${V2}/budget`, `GET ${PORTAL}/budget`],
  },
  'budget:update': {
    description: 'Set the monthly budget and the thresholds that raise a notice',
    scope: 'domain',
    operations: [`PUT ${V2}/budget`, `POST ${PORTAL}/budget`],
  },
  'support:get': {
    description: "Read the account's support plan",
    scope: 'domain',
    operations: [`GET ${V2}/support-plan`, 'GET /store/portal/billing/plans'],
  },
  'support:update': {
    description: 'Elect a support plan (clause 1.3: from next month, six months at least, only upgrades meanwhile)',
    scope: 'domain',
    operations: [`PUT ${V2}/support-plan`, 'POST /store/portal/billing/plans'],
  },
  'usage:list': {
    description: "Read the account's metered usage, by hour, day, service, region or resource",
    scope: 'domain',
    operations: [`GET ${V2}/usage`, `GET ${PORTAL}/usage`, `GET ${PORTAL}/usage.csv`],
  },
});
