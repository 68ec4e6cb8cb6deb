/**
 * The account's support plan (clause 1.3) and subscriptions: the plan in effect and a pending change, a form to
 * elect another (refused in words during the six-month minimum, except upgrades), and what the account has ordered
 * (Reserved Instances, Bare Metal Servers, WorkSpace, Direct Connect), a Reserved Instance with its renewal: renew it
 * now (an order for the next term, to pay) or have the hourly job renew it in its last day.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { unitPriceText } from '../../../core/money.ts';
import type { Subscription } from '../../../schema/global.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { SUPPORT_PLANS } from '../../../workers/bss/rules/support-plan.ts';
import { subscriptionEnd } from '../../../workers/bss/subscription-charges.ts';
import { renewSubscriptions, setAutoRenew } from '../../../workers/bss/usecases/renewals.ts';
import { electPlan, subscriptionsOf, supportPlanOf } from '../../../workers/bss/usecases/subscriptions.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { ActionButton, Actions, done, Empty, type Failure, Form, form, Refusal, Select, Table } from '../../console/kit.tsx';
import { BILLING, billingPage } from './shell.tsx';

const schema = z.object({ plan: z.enum(SUPPORT_PLANS, { error: 'Choose one of the four plans.' }) });

async function show(c: AppContext, failure?: Failure) {
  const caller = identityOf(c);
  const [plan, subs] = await Promise.all([supportPlanOf(caller), subscriptionsOf(caller)]);
  const head = ['Subscription', 'Region', 'Count', 'Monthly (EUR)', 'One-time (EUR)', 'From', 'Until', 'Renewal'];
  const renewed = new Set(subs.map((s) => s.renewalOf));
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
      <Refusal failure={failure?.field === 'subscription' ? { ...failure, field: undefined } : undefined} />
      <Table caption="Subscriptions and their renewals" head={head}>
        <tbody>
          {subs.length === 0 && <Empty cols={head.length}>No subscription: every resource is paid per use.</Empty>}
          {subs.map((s) => (
            <tr>
              <th scope="row">{nameOf(s)}</th>
              <td>{s.regionId}</td>
              <td class="num">{s.count}</td>
              <td class="num">{unitPriceText(BigInt(s.monthlyPrice))}</td>
              <td class="num">{unitPriceText(BigInt(s.oneTimePrice))}</td>
              <td>{s.startedAt.slice(0, 10)}</td>
              <td>{subscriptionEnd(s)?.slice(0, 10) ?? ''}</td>
              <td>{renewal(c, s, renewed.has(s.id))}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>,
  );
}

/** What a subscription is, in words. */
function nameOf(s: Subscription): string {
  switch (s.kind) {
    case 'reserved_instance':
      return `Reserved ${s.product}, ${s.termYears} year${s.termYears === 1 ? '' : 's'}${s.renewalOf ? ' (renewal)' : ''}`;
    case 'bare_metal':
      return `Bare metal ${s.product}`;
    case 'workspace':
      return 'WorkSpace desktops, unlimited use';
    case 'direct_connect':
      return `Direct Connect, ${s.bandwidthMbps} Mbit/s`;
  }
}

/** A term's renewal: renewed already, or the buttons to renew it and to turn auto-renewal on or off. */
function renewal(c: AppContext, s: Subscription, renewed: boolean) {
  if (s.kind !== 'reserved_instance') return 'monthly until ended';
  if (renewed) return 'renewed';
  const at = `${BILLING}/plans/${s.id}`;
  return (
    <Actions>
      <span data-auto-renew={s.autoRenew ? 'on' : 'off'}>{s.autoRenew ? 'auto-renews' : 'ends at its term'}</span>
      <ActionButton c={c} action={`${at}/renew`} label="Renew now" title={`Renew ${s.product} for another term`} />
      <ActionButton
        c={c}
        action={`${at}/autorenew`}
        label={s.autoRenew ? 'Stop auto-renewal' : 'Renew automatically'}
        fields={{ auto_renew: s.autoRenew ? 'off' : 'on' }}
      />
    </Actions>
  );
}

const onOff = z.object({ auto_renew: z.enum(['on', 'off'], { error: 'Choose on or off.' }) });
/** A refusal of a row's action shows at the subscriptions' top. */
const rowFailure = (c: AppContext, failure: Failure) => show(c, { ...failure, field: 'subscription' });

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
  r.post(
    '/plans/:resource_id/renew',
    act('bss:subscriptions:renew'),
    form(
      z.object({}),
      async (c) => {
        const [order] = await renewSubscriptions(c.env, c.var.principal.domainId, [c.req.param('resource_id')!], { autoPay: false });
        return done(c, `${BILLING}/plans`, `Renewal order ${order} is placed; pay it to renew the term.`);
      },
      rowFailure,
    ),
  );
  r.post(
    '/plans/:resource_id/autorenew',
    act('bss:subscriptions:renew'),
    form(
      onOff,
      async (c, input) => {
        await setAutoRenew(c.env, c.var.principal.domainId, c.req.param('resource_id')!, input.auto_renew === 'on');
        return done(c, `${BILLING}/plans`, input.auto_renew === 'on' ? 'The term will renew in its last day.' : 'The term will end.');
      },
      rowFailure,
    ),
  );
}
