/**
 * SMN's limits and refusals inside a project's SmnDO. Codes are SMN's `SMN.xxxx` form; `SMN.0006` (topic not found)
 * is the one SMN's documentation shows, the others are numbered here in the same form.
 */
import { DomainError } from '../../core/result.ts';

/** Topics per project, subscriptions per topic, templates per project (SMN's default quotas). */
export const QUOTAS = { topic: 3000, subscription: 10000, template: 100 } as const;

/** Deliveries to an HTTP(S) endpoint: at most this many attempts, the next one after base x 4^(n-1). */
export const MAX_ATTEMPTS = 5;

export const SMN_CODES = {
  invalid: 'SMN.0001',
  topicNotFound: 'SMN.0006',
  subscriptionNotFound: 'SMN.0007',
  templateNotFound: 'SMN.0008',
  exists: 'SMN.0009',
  quota: 'SMN.0010',
  tokenInvalid: 'SMN.0011',
} as const;

export const topicNotFound = (urn: string) => new DomainError(404, SMN_CODES.topicNotFound, `Topic not found: ${urn}.`);
export const subscriptionNotFound = (urn: string) =>
  new DomainError(404, SMN_CODES.subscriptionNotFound, `Subscription not found: ${urn}.`);
export const templateNotFound = (what: string) => new DomainError(404, SMN_CODES.templateNotFound, `Message template not found: ${what}.`);
export const exists = (message: string) => new DomainError(409, SMN_CODES.exists, message);
export const invalid = (message: string) => new DomainError(400, SMN_CODES.invalid, message);
export const quotaUsed = (what: keyof typeof QUOTAS) =>
  new DomainError(403, SMN_CODES.quota, `The ${what} quota (${QUOTAS[what]}) is used up.`);

/** A fresh SMN id: 32 hex digits. */
export const smnId = () => crypto.randomUUID().replaceAll('-', '');
