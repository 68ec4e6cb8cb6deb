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
    description: "Read the account's notices of price revisions",
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
  'usage:list': {
    description: "Read the account's metered usage, by hour, day, service, region or resource",
    scope: 'domain',
    operations: [`GET ${V2}/usage`, `GET ${PORTAL}/usage`, `GET ${PORTAL}/usage.csv`],
  },
});
