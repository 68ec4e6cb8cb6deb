/**
 * An account's money beyond its invoices, in our own shape (BSS v2 has no calls for them): the credits the operator
 * grants it (what each has left after the closed invoices), and its monthly budget with the threshold notices the
 * hourly job raised; and the SMN topic its billing notices are sent to.
 */
import { z } from 'zod';
import { type Minor, minorText, PRICE_SCALE, unitPriceOf } from '../../core/money.ts';
import type { BudgetNotice, Credit } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { jsonBody } from '../lib/validate.ts';
import { budgetOf, monthToDate, setBudget } from './usecases/budgets.ts';
import { creditsOf, grantCredit } from './usecases/credits.ts';
import { notificationTopic, setNotificationTopic } from './usecases/notices.ts';

export const accountsApp = router();

/** Euros with at most two decimals, as cents. */
const euros = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'must be an amount of euros with at most 2 decimals')
  .transform((v) => Number(unitPriceOf(v) / PRICE_SCALE));
const instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)) && /(Z|[+-]\d{2}:\d{2})$/.test(v), 'must be an ISO 8601 UTC time')
  .transform((v) => new Date(Date.parse(v)).toISOString());

const money = (amount: Minor) => ({ amount, amount_text: minorText(amount), currency: 'EUR' });

const creditView = (c: Credit, remaining: Minor) => ({
  id: c.id,
  ...money(c.amount),
  remaining,
  remaining_text: minorText(remaining),
  reason: c.reason,
  granted_at: c.grantedAt,
  expires_at: c.expiresAt,
});

const grantBody = z
  .object({ domain_id: z.string().min(1).max(64), amount: euros, reason: z.string().min(1).max(255), expires_at: instant.optional() })
  .strict();

accountsApp.post('/credits', act('bss:credits:grant'), async (c) => {
  const b = await jsonBody(c, grantBody);
  const credit = await grantCredit(
    c.env,
    { domainId: b.domain_id, amount: b.amount, reason: b.reason, expiresAt: b.expires_at },
    c.var.principal.userId,
  );
  return c.json({ credit: creditView(credit, credit.amount) }, 201);
});

accountsApp.get('/credits', act('bss:credits:list'), async (c) => {
  const list = await creditsOf(c.env, c.var.principal.domainId);
  return c.json({ credits: list.map((x) => creditView(x.credit, x.remaining)) });
});

const noticeView = (n: BudgetNotice) => ({
  id: n.id,
  month: n.month,
  threshold: n.threshold,
  spent: n.spent,
  spent_text: minorText(n.spent),
  budget: n.budget,
  created_at: n.createdAt,
});

accountsApp.get('/budget', act('bss:budget:get'), async (c) => {
  const domainId = c.var.principal.domainId;
  const { budget, notices } = await budgetOf(c.env, domainId);
  const { month, spent } = await monthToDate(c.env, domainId, new Date());
  return c.json({
    budget: budget && { ...money(budget.amount), thresholds: budget.thresholds, updated_at: budget.updatedAt },
    month_to_date: { month, ...money(spent) },
    notices: notices.map(noticeView),
  });
});

const budgetBody = z.object({ amount: euros, thresholds: z.array(z.number().int().min(1).max(1000)).min(1).max(10) }).strict();

accountsApp.put('/budget', act('bss:budget:update'), async (c) => {
  const b = await jsonBody(c, budgetBody);
  const row = await setBudget(c.env, c.var.principal.domainId, b.amount, b.thresholds);
  return c.json({ budget: { ...money(row.amount), thresholds: row.thresholds, updated_at: row.updatedAt } });
});

accountsApp.get('/notification-settings', act('bss:notifications:get'), async (c) => {
  return c.json({ topic_urn: await notificationTopic(c.env, c.var.principal.domainId) });
});

accountsApp.put('/notification-settings', act('bss:notifications:update'), async (c) => {
  const b = await jsonBody(c, z.object({ topic_urn: z.string().max(400).nullable() }).strict());
  return c.json({ topic_urn: await setNotificationTopic(c.env, c.var.principal.domainId, b.topic_urn) });
});
