/**
 * Orders and subscriptions in Huawei BSS v2's shapes where it has them (pay, order details, the subscribed
 * resources query with its upstream spelling `suscriptions`, unsubscribe), our own where not (placing an order,
 * cancelling one), renewals and auto-renewal (BSS's renew and autorenew), and the account's support plan (clause 1.3).
 */
import { z } from 'zod';
import { unitPriceText } from '../../core/money.ts';
import type { Order, Subscription } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { identityOf } from '../lib/caller.ts';
import { jsonBody } from '../lib/validate.ts';
import { SUPPORT_PLANS } from './rules/support-plan.ts';
import { subscriptionEnd } from './subscription-charges.ts';
import { renewSubscriptions, setAutoRenew } from './usecases/renewals.ts';
import {
  cancelOrder,
  electPlan,
  orderOf,
  payOrder,
  placeOrder,
  subscriptionsOf,
  supportPlanOf,
  unsubscribe,
} from './usecases/subscriptions.ts';

export const ordersApp = router();

const name = z.string().min(1).max(64);
const orderBody = z
  .object({
    kind: z.enum(['reserved_instance', 'bare_metal', 'workspace', 'direct_connect']),
    region_id: name,
    /** A flavor or server type; WorkSpace's is `desktop` and Direct Connect's `bandwidth`, the defaults. */
    product: name.optional(),
    bandwidth_mbps: z.number().int().min(1).max(100_000).optional(),
    term_years: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    count: z.number().int().min(1).max(100).default(1),
    client_token: z.string().min(1).max(64).optional(),
    is_auto_pay: z.boolean().default(false),
  })
  .strict();

const orderView = (o: Order) => ({
  order_id: o.id,
  status: o.status,
  kind: o.kind,
  region_code: o.regionId,
  product: o.product,
  term_years: o.termYears,
  count: o.count,
  bandwidth_mbps: o.bandwidthMbps,
  renewal_of: o.renewalOf,
  starts_at: o.startsAt,
  one_time_price: unitPriceText(BigInt(o.oneTimePrice)),
  monthly_price: unitPriceText(BigInt(o.monthlyPrice)),
  currency: 'EUR',
  create_time: o.createdAt,
  payment_time: o.paidAt,
});

const subscriptionView = (s: Subscription) => ({
  id: s.id,
  resource_id: s.id,
  order_id: s.orderId,
  region_code: s.regionId,
  service_type_code: SERVICE_TYPE[s.kind],
  resource_type_code: s.kind,
  resource_spec_code: s.product,
  count: s.count,
  status: s.endedAt && s.endedAt <= new Date().toISOString() ? 'ended' : 'active',
  effective_time: s.startedAt,
  expire_time: subscriptionEnd(s),
  renewal_of: s.renewalOf,
  is_auto_renew: s.autoRenew ? 1 : 0,
});

/** BSS's service type codes (Huawei's where it has one). */
const SERVICE_TYPE: Record<Subscription['kind'], string> = {
  reserved_instance: 'hws.service.type.ec2',
  bare_metal: 'hws.service.type.bms',
  workspace: 'hws.service.type.workspace',
  direct_connect: 'hws.service.type.dcaas',
};
const DEFAULT_PRODUCT: Partial<Record<Subscription['kind'], string>> = { workspace: 'desktop', direct_connect: 'bandwidth' };

ordersApp.post('/orders', act('bss:orders:create'), async (c) => {
  const b = await jsonBody(c, orderBody);
  const order = await placeOrder(identityOf(c), {
    kind: b.kind,
    regionId: b.region_id,
    product: b.product ?? DEFAULT_PRODUCT[b.kind] ?? '',
    termYears: b.term_years,
    count: b.count,
    bandwidthMbps: b.bandwidth_mbps,
    clientToken: b.client_token,
    autoPay: b.is_auto_pay,
  });
  return c.json({ order_id: order.id, order: orderView(order) }, 201);
});

const payBody = z
  .object({
    order_id: z.string().min(1).max(64),
    use_coupon: z.enum(['YES', 'NO']).optional(),
    use_discount: z.enum(['YES', 'NO']).optional(),
  })
  .strict();

ordersApp.post('/orders/customer-orders/pay', act('bss:orders:pay'), async (c) => {
  const b = await jsonBody(c, payBody);
  await payOrder(identityOf(c), b.order_id);
  return c.body(null, 204);
});

ordersApp.post('/orders/customer-orders/cancel', act('bss:orders:cancel'), async (c) => {
  const b = await jsonBody(c, z.object({ order_id: z.string().min(1).max(64) }).strict());
  await cancelOrder(identityOf(c), b.order_id);
  return c.body(null, 204);
});

ordersApp.get('/orders/customer-orders/details/:order_id', act('bss:orders:get'), async (c) => {
  const order = await orderOf(identityOf(c), c.req.param('order_id'));
  return c.json({ order_info: orderView(order), order_line_items: [orderView(order)] });
});

const queryBody = z.object({ resource_ids: z.array(z.string()).max(100).optional(), order_id: z.string().optional() }).passthrough();

ordersApp.post('/orders/suscriptions/resources/query', act('bss:subscriptions:list'), async (c) => {
  const b = await jsonBody(c, queryBody);
  const data = (await subscriptionsOf(identityOf(c)))
    .filter((s) => (!b.resource_ids || b.resource_ids.includes(s.id)) && (!b.order_id || s.orderId === b.order_id))
    .map(subscriptionView);
  return c.json({ data, total_count: data.length });
});

const unsubscribeBody = z
  .object({ resource_ids: z.array(z.string()).min(1).max(100), unsubscribe_type: z.number().int().min(1).max(3).default(1) })
  .strict();

ordersApp.post('/orders/subscriptions/resources/unsubscribe', act('bss:subscriptions:delete'), async (c) => {
  const b = await jsonBody(c, unsubscribeBody);
  return c.json({ order_ids: await unsubscribe(identityOf(c), b.resource_ids) });
});

const renewBody = z
  .object({
    resource_ids: z.array(z.string().min(1).max(64)).min(1).max(100),
    /** BSS's period: 3 is a year; a Reserved Instance renews by whole years. */
    period_type: z.literal(3).default(3),
    period_num: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    expire_policy: z.number().int().min(0).max(3).optional(),
    is_auto_pay: z.union([z.literal(0), z.literal(1)]).default(0),
  })
  .strict();

ordersApp.post('/orders/subscriptions/resources/renew', act('bss:subscriptions:renew'), async (c) => {
  const b = await jsonBody(c, renewBody);
  const ids = await renewSubscriptions(c.env, c.var.principal.domainId, b.resource_ids, {
    years: b.period_num,
    autoPay: b.is_auto_pay === 1,
  });
  return c.json({ order_ids: ids });
});

ordersApp.post('/orders/subscriptions/resources/autorenew/:resource_id', act('bss:subscriptions:renew'), async (c) => {
  await setAutoRenew(c.env, c.var.principal.domainId, c.req.param('resource_id'), true);
  return c.body(null, 204);
});

ordersApp.delete('/orders/subscriptions/resources/autorenew/:resource_id', act('bss:subscriptions:renew'), async (c) => {
  await setAutoRenew(c.env, c.var.principal.domainId, c.req.param('resource_id'), false);
  return c.body(null, 204);
});

ordersApp.get('/support-plan', act('bss:support:get'), async (c) => c.json({ support_plan: await supportPlanOf(identityOf(c)) }));

ordersApp.put('/support-plan', act('bss:support:update'), async (c) => {
  const b = await jsonBody(c, z.object({ plan: z.enum(SUPPORT_PLANS) }).strict());
  return c.json({ support_plan: await electPlan(identityOf(c), b.plan) });
});
