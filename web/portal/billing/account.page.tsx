/**
 * The account's credits and budget in the Customer Portal: the credits the operator granted and what each has left
 * after the closed invoices; the monthly budget with its thresholds (set here), this month's charges so far and
 * the alerts the hourly job raised.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { minorText, PRICE_SCALE, unitPriceOf } from '../../../core/money.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { budgetOf, monthToDate, setBudget } from '../../../workers/bss/usecases/budgets.ts';
import { creditsOf } from '../../../workers/bss/usecases/credits.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { done, Empty, type Failure, Field, Form, form, Table } from '../../console/kit.tsx';
import { BILLING, billingPage } from './shell.tsx';

const budgetForm = z.object({
  amount: z
    .string()
    .regex(/^\d{1,9}(\.\d{1,2})?$/, { error: 'An amount of euros, with at most two decimals.' })
    .transform((v) => Number(unitPriceOf(v) / PRICE_SCALE)),
  thresholds: z
    .string()
    .regex(/^\s*\d{1,4}(\s*,\s*\d{1,4})*\s*$/, { error: 'Percentages separated by commas, such as 50, 80, 100.' })
    .transform((v) => v.split(',').map((t) => Number(t.trim()))),
});

async function showCredits(c: AppContext) {
  const list = await creditsOf(c.env, c.var.principal.domainId);
  const head = ['Reason', 'Granted', 'Expires', 'Amount (EUR)', 'Left (EUR)'];
  return billingPage(
    c,
    'credits',
    'Credits',
    <>
      <p class="hint">Credits come off invoices oldest first, up to each month's charges; what is left carries to the next month.</p>
      <Table caption="Credits granted to the account, oldest first" head={head}>
        <tbody>
          {list.length === 0 && <Empty cols={head.length}>No credit has been granted to the account.</Empty>}
          {list.map(({ credit, remaining }) => (
            <tr>
              <th scope="row">{credit.reason}</th>
              <td>{credit.grantedAt.slice(0, 10)}</td>
              <td>{credit.expiresAt?.slice(0, 10) ?? 'never'}</td>
              <td class="num">{minorText(credit.amount)}</td>
              <td class="num">{minorText(remaining)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>,
  );
}

async function showBudget(c: AppContext, failure?: Failure) {
  const domainId = c.var.principal.domainId;
  const [{ budget, notices }, soFar] = await Promise.all([budgetOf(c.env, domainId), monthToDate(c.env, domainId, new Date())]);
  const head = ['Month', 'Threshold', 'Charges then (EUR)', 'Budget (EUR)', 'Raised'];
  return billingPage(
    c,
    'budget',
    'Budget',
    <>
      <p>
        This month ({soFar.month}) so far: <strong data-spent="">{minorText(soFar.spent)} EUR</strong>
        {budget ? ` of a ${minorText(budget.amount)} EUR budget` : ', no budget set'}
      </p>
      <Form c={c} action={`${BILLING}/budget`} submit="Set the budget" failure={failure} label="Monthly budget">
        <Field
          name="amount"
          label="Monthly budget (EUR)"
          value={budget ? minorText(budget.amount).replaceAll(',', '') : ''}
          failure={failure}
        />
        <Field
          name="thresholds"
          label="Alert at (% of the budget)"
          value={budget ? budget.thresholds.join(', ') : '50, 80, 100'}
          hint="One alert per threshold per month, from the charges of the hours already over and the month's subscriptions."
          failure={failure}
        />
      </Form>
      <Table caption="Budget alerts, newest first" head={head}>
        <tbody>
          {notices.length === 0 && <Empty cols={head.length}>No threshold has been crossed.</Empty>}
          {notices.map((n) => (
            <tr>
              <td>{n.month}</td>
              <th scope="row">{`${n.threshold} %`}</th>
              <td class="num">{minorText(n.spent)}</td>
              <td class="num">{minorText(n.budget)}</td>
              <td>{n.createdAt.slice(0, 16).replace('T', ' ')}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>,
  );
}

/** Registers the credits and budget pages, and the budget's form. */
export function accountRoutes(r: Hono<AppEnv>): void {
  r.get('/credits', act('bss:credits:list'), (c) => showCredits(c));
  r.get('/budget', act('bss:budget:get'), (c) => showBudget(c));
  r.post(
    '/budget',
    act('bss:budget:update'),
    form(
      budgetForm,
      async (c, input) => {
        await setBudget(c.env, c.var.principal.domainId, input.amount, input.thresholds);
        return done(c, `${BILLING}/budget`, 'The budget is set; the hourly check uses it from its next run.');
      },
      showBudget,
    ),
  );
}
