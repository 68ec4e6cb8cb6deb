/**
 * Publishing the price list (clause 1.4) and reading it: a revision is checked against its line's history by
 * `classify` (workers/bss/price-list.ts), then written with a notice to every account it affects, in one
 * transaction, so that no account misses a published change.
 */
import { and, eq, sql } from 'drizzle-orm';
import { stableId } from '../../../core/ids.ts';
import { type UnitPrice, unitPriceMajor, unitPriceOf } from '../../../core/money.ts';
import { domains, type PriceRevision, priceNotices, priceRevisions, prices, projects } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import { forgetPrices } from '../../directory/prices.ts';
import type { IdentityCaller } from '../../lib/caller.ts';
import { ApiError, badRequest, notFound } from '../../lib/errors.ts';
import { classify } from '../price-list.ts';

/** A line a revision is for: an existing one by id, or a new feature's line (clause 1.4.5). */
export type LineRef =
  | { lineId: string }
  | { service: string; product: string; regionId: string; billingMode: string; unit: string; description: string };

export interface RevisionInput {
  line: LineRef;
  /** The unit price as a decimal of the euro ("0.0290"). */
  price: string;
  effectiveFrom: string;
  endsAt?: string;
  promotion?: boolean;
  note?: string;
}

/** Publishes a revision; answers it with how many accounts were told. Refusals name the clause they keep. */
export async function publishRevision(caller: IdentityCaller, input: RevisionInput, now = new Date().toISOString()) {
  const db = await directory(caller.env);
  let unitPrice: UnitPrice;
  try {
    unitPrice = unitPriceOf(input.price);
  } catch (err) {
    throw badRequest(`Invalid price: ${(err as Error).message}.`, 'CBC.0100');
  }
  if (unitPrice < 0n) throw badRequest('Invalid price: a price is not negative.', 'CBC.0100');
  const { line, isNew } = await lineOf(db, input.line);
  const history = isNew ? [] : await db.select().from(priceRevisions).where(eq(priceRevisions.lineId, line.id)).all();
  const verdict = classify(history, { ...input, unitPrice }, now);
  if ('refusal' in verdict) throw new ApiError(409, `Clause ${verdict.clause}: ${verdict.refusal}`, 'CBC.0155');
  const revision: PriceRevision = {
    id: crypto.randomUUID(),
    lineId: line.id,
    unitPrice: Number(unitPrice),
    kind: verdict.kind,
    effectiveFrom: input.effectiveFrom,
    endsAt: input.endsAt ?? null,
    publishedAt: now,
    publishedBy: caller.principal.userId,
    note: input.note ?? '',
  };
  // Every customer account with a project in the line's region (every account for a global line) is told.
  const regional = line.regionId === 'global' ? sql`1` : eq(projects.regionId, line.regionId);
  const [, , , notified] = await db.batch([
    db
      .insert(prices)
      .values({
        ...line,
        priceEur: isNew ? unitPriceMajor(unitPrice) : line.priceEur,
        effectiveFrom: line.effectiveFrom ?? input.effectiveFrom,
      })
      .onConflictDoNothing(),
    db.insert(priceRevisions).values(revision),
    db.run(sql`INSERT OR IGNORE INTO ${priceNotices} (id, domain_id, revision_id, published_at, effective_from)
      SELECT DISTINCT ${revision.id} || ':' || ${domains.id}, ${domains.id}, ${revision.id}, ${now}, ${input.effectiveFrom}
      FROM ${domains} JOIN ${projects} ON ${projects.domainId} = ${domains.id}
      WHERE ${domains.isOperator} = 0 AND ${regional}`),
    db.select({ n: sql<number>`count(*)` }).from(priceNotices).where(eq(priceNotices.revisionId, revision.id)),
  ]);
  forgetPrices();
  return { line, revision, notified: notified[0]?.n ?? 0 };
}

/** The line a reference names; a new line must not exist yet, and its id is stable like the seed's. */
async function lineOf(db: Awaited<ReturnType<typeof directory>>, ref: LineRef) {
  if ('lineId' in ref) {
    const line = await db.select().from(prices).where(eq(prices.id, ref.lineId)).get();
    if (!line) throw notFound(`Price line ${ref.lineId} could not be found.`, 'CBC.0104');
    return { line, isNew: false };
  }
  const id = stableId(`price:${ref.service}:${ref.product}:${ref.regionId}:${ref.billingMode}`);
  const existing = await db
    .select()
    .from(prices)
    .where(
      and(
        eq(prices.service, ref.service),
        eq(prices.product, ref.product),
        eq(prices.regionId, ref.regionId),
        eq(prices.billingMode, ref.billingMode),
      ),
    )
    .get();
  if (existing) return { line: existing, isNew: false };
  return { line: { ...ref, id, priceEur: 0, effectiveFrom: null }, isNew: true };
}

/** The account's notices of price revisions, newest first, each with its line and the prices before and after. */
export async function noticesOf(caller: IdentityCaller) {
  const db = await directory(caller.env);
  const rows = await db
    .select({ notice: priceNotices, revision: priceRevisions, line: prices })
    .from(priceNotices)
    .innerJoin(priceRevisions, eq(priceRevisions.id, priceNotices.revisionId))
    .innerJoin(prices, eq(prices.id, priceRevisions.lineId))
    .where(eq(priceNotices.domainId, caller.principal.domainId))
    .orderBy(sql`${priceNotices.publishedAt} DESC`)
    .all();
  return rows;
}
