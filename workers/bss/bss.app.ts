/**
 * The billing API at `/bss/v2` (native JSON, `{error_code, error_msg}` as Huawei's BSS answers): the price list
 * and its revisions, the account's notices of revisions, and its usage (JSON, or CSV with `format=csv`).
 */
import { z } from 'zod';
import { unitPriceText } from '../../core/money.ts';
import type { PriceRevision } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { priceBook, priceList } from '../directory/prices.ts';
import { family, router } from '../lib/app.ts';
import { identityOf } from '../lib/caller.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { accountsApp } from './accounts.api.ts';
import { invoicesApp } from './invoices.api.ts';
import { ordersApp } from './orders.api.ts';
import { noticesOf, publishRevision } from './usecases/prices.ts';
import { DIMENSIONS, type Dimension, usageCsv, usageOf } from './usecases/usage.ts';

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
/** An instant, answered as `toISOString()` writes it (the form every stored time has, so they compare as text). */
const instant = z
  .string()
  .refine((v) => ISO.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 UTC time')
  .transform((v) => new Date(Date.parse(v)).toISOString());
const decimal = z.string().regex(/^\d+(\.\d{1,8})?$/, 'must be a decimal amount of euros with at most 8 decimals');
const name = z.string().min(1).max(64);

const revisionBody = z
  .object({
    line_id: z.string().optional(),
    /** A new feature's line (clause 1.4.5), when there is no line_id. */
    line: z
      .object({
        service: name,
        product: name,
        region_id: name,
        billing_mode: name,
        unit: name,
        description: z.string().max(255).default(''),
      })
      .strict()
      .optional(),
    unit_price: decimal,
    /** Default: on publication (a decrease, a promotion, a new feature's price). */
    effective_from: instant.optional(),
    ends_at: instant.optional(),
    promotion: z.boolean().default(false),
    note: z.string().max(1000).optional(),
  })
  .strict()
  .refine((b) => Boolean(b.line_id) !== Boolean(b.line), 'give either line_id or line');

export const bssApp = router();
bssApp.use(family('native'));
bssApp.route('/v2/invoices', invoicesApp);
bssApp.route('/v2', ordersApp);
bssApp.route('/v2', accountsApp);

const revisionView = (r: PriceRevision) => ({
  id: r.id,
  line_id: r.lineId,
  unit_price: unitPriceText(BigInt(r.unitPrice)),
  currency: 'EUR',
  kind: r.kind,
  effective_from: r.effectiveFrom,
  ends_at: r.endsAt,
  published_at: r.publishedAt,
  note: r.note,
});

bssApp.get('/v2/prices', act('bss:prices:list'), async (c) => {
  const q = query(c, z.object({ at: instant.optional(), service: name.optional(), region_id: name.optional() }).strict());
  const rows = await priceList(c.env, q.at);
  const prices = rows
    .filter((p) => (!q.service || p.service === q.service) && (!q.region_id || p.regionId === q.region_id))
    .map((p) => ({
      line_id: p.id,
      service: p.service,
      product: p.product,
      region_id: p.regionId,
      billing_mode: p.billingMode,
      unit: p.unit,
      description: p.description,
      unit_price: unitPriceText(p.unitPrice),
      currency: 'EUR',
      revision: revisionView(p.revision),
    }));
  return c.json({ prices, at: q.at ?? new Date().toISOString() });
});

bssApp.get('/v2/prices/:line_id/revisions', act('bss:prices:list'), async (c) => {
  const { lines, history } = await priceBook(c.env);
  const id = c.req.param('line_id');
  if (!lines.some((l) => l.id === id)) throw notFound(`Price line ${id} could not be found.`, 'CBC.0104');
  return c.json({ revisions: (history.get(id) ?? []).map(revisionView) });
});

bssApp.post('/v2/prices/revisions', act('bss:prices:publish'), async (c) => {
  const b = await jsonBody(c, revisionBody);
  const line = b.line_id
    ? { lineId: b.line_id }
    : {
        service: b.line!.service,
        product: b.line!.product,
        regionId: b.line!.region_id,
        billingMode: b.line!.billing_mode,
        unit: b.line!.unit,
        description: b.line!.description,
      };
  const now = new Date().toISOString();
  const out = await publishRevision(
    identityOf(c),
    {
      line,
      price: b.unit_price,
      effectiveFrom: b.effective_from ?? now,
      endsAt: b.ends_at,
      promotion: b.promotion,
      note: b.note,
    },
    now,
  );
  return c.json({ revision: revisionView(out.revision), notified_accounts: out.notified }, 201);
});

bssApp.get('/v2/price-notices', act('bss:notices:list'), async (c) => {
  const rows = await noticesOf(identityOf(c));
  return c.json({
    notices: rows.map(({ notice, revision, line }) => ({
      id: notice.id,
      published_at: notice.publishedAt,
      effective_from: notice.effectiveFrom,
      line: {
        id: line.id,
        service: line.service,
        product: line.product,
        region_id: line.regionId,
        billing_mode: line.billingMode,
        unit: line.unit,
      },
      revision: revisionView(revision),
    })),
  });
});

const DAY_MS = 86_400_000;
const usageQuery = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    group_by: z
      .string()
      .transform((v) => v.split(',').filter(Boolean))
      .pipe(z.array(z.enum(DIMENSIONS)))
      .optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

bssApp.get('/v2/usage', act('bss:usage:list'), async (c) => {
  const q = query(c, usageQuery);
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
  if (from >= to) throw badRequest("Invalid input: 'from' must be earlier than 'to'.", 'CBC.0100');
  if (to.getTime() - from.getTime() > 92 * DAY_MS) throw badRequest('Invalid input: a window is at most 92 days.', 'CBC.0100');
  const by: Dimension[] = q.group_by ?? ['service'];
  const usage = await usageOf(identityOf(c), from, to, by);
  if (q.format === 'csv') {
    return c.body(usageCsv(usage, by), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="usage-${from.toISOString().slice(0, 10)}.csv"`,
    });
  }
  return c.json({ from: from.toISOString(), to: to.toISOString(), group_by: by, usage });
});
