/**
 * The account's support plan (clause 1.3) and subscriptions: the plan in effect and a pending change, a form to
 * elect another (refused in words during the six-month minimum, except upgrades), and the Reserved Instances
 * and Bare Metal Servers the account has ordered.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { unitPriceText } from '../../../core/money.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { SUPPORT_PLANS } from '../../../workers/bss/rules/support-plan.ts';
import { subscriptionEnd } from '../../../workers/bss/subscription-charges.ts';
import { electPlan, subscriptionsOf, supportPlanOf } from '../../../workers/bss/usecases/subscriptions.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { done, Empty, type Failure, Form, form, Select, Table } from '../../console/kit.tsx';
import { BILLING, billingPage } from './shell.tsx';

const schema = z.object({ plan: z.enum(SUPPORT_PLANS, { error: 'Choose one of the four plans.' }) });

async function show(c: AppContext, failure?: Failure) {
  const caller = identityOf(c);
  const [plan, subs] = await Promise.all([supportPlanOf(caller), subscriptionsOf(caller)]);
  const head = ['Subscription', 'Region', 'Count', 'Monthly (EUR)', 'One-time (EUR)', 'From', 'Until'];
  return billingPage(
    c,
    'plans',
    'Support plan and subscriptions',
    <>
      <h2>Support plan</h2>
      <p>
        In effect: <strong data-plan="">{plan.plan}</strong>
        {plan.pending ? ` · from ${plan.pending.effectiveFrom.slice(0, 10)}: ${plan.pending.plan}` : ''}
      </p>
      <p class="hint">
        A change takes effect on the first day of next month. A plan is held six months at least; during them only a higher plan may be
        chosen, which starts six months again (clause 1.3).
      </p>
      <Form c={c} action={`${BILLING}/plans`} submit="Choose this plan" failure={failure} label="Support plan">
        <Select
          name="plan"
          label="Plan"
          options={SUPPORT_PLANS.map((p) => ({ value: p, label: p }))}
          value={plan.pending?.plan ?? plan.plan}
          failure={failure}
        />
      </Form>
      <h2>Subscriptions</h2>
      <Table caption="Reserved Instances and Bare Metal Servers" head={head}>
        <tbody>
          {subs.length === 0 && <Empty cols={head.length}>No subscription: every resource is paid per use.</Empty>}
          {subs.map((s) => (
            <tr>
              <th scope="row">
                {s.kind === 'reserved_instance'
                  ? `Reserved ${s.product}, ${s.termYears} year${s.termYears === 1 ? '' : 's'}`
                  : `Bare metal ${s.product}`}
              </th>
              <td>{s.regionId}</td>
              <td class="num">{s.count}</td>
              <td class="num">{unitPriceText(BigInt(s.monthlyPrice))}</td>
              <td class="num">{unitPriceText(BigInt(s.oneTimePrice))}</td>
              <td>{s.startedAt.slice(0, 10)}</td>
              <td>{subscriptionEnd(s)?.slice(0, 10) ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>,
  );
}

/** Registers the support plan and subscriptions page and its form. */
export function planRoutes(r: Hono<AppEnv>): void {
  r.get('/plans', act('bss:support:get'), (c) => show(c));
  r.post(
    '/plans',
    act('bss:support:update'),
    form(
      schema,
      async (c, input) => {
        await electPlan(identityOf(c), input.plan);
        return done(c, `${BILLING}/plans`, `The ${input.plan} plan is chosen; it takes effect on the first day of next month.`);
      },
      show,
    ),
  );
}
