/**
 * Neutron's bulk create (`{"networks": [...]}`, subnets, ports): a list of the one-item bodies, made all or none
 * in one TenantDO transaction. The list is bounded so that one request stays one reasonable transaction.
 */
import { z } from 'zod';
import type { AppContext } from '../../lib/app.ts';
import { check, jsonBody } from '../../lib/validate.ts';

/** The most items one bulk create makes. */
export const MAX_BULK = 100;

/**
 * A create's body: `{one: item}` or the bulk `{many: [item, ...]}`, told apart by its key so that a refusal names
 * the field at fault (a union of the two would only say the body is neither).
 */
export async function createBody<S extends z.ZodType>(
  c: AppContext,
  one: string,
  many: string,
  item: S,
): Promise<{ items: z.output<S>[]; bulk: boolean }> {
  const raw = await jsonBody(c, z.record(z.string(), z.unknown()));
  if (Object.hasOwn(raw, many)) {
    const body = check(z.object({ [many]: z.array(item).min(1).max(MAX_BULK) }).strict(), raw) as Record<string, z.output<S>[]>;
    return { items: body[many]!, bulk: true };
  }
  const body = check(z.object({ [one]: item }).strict(), raw) as Record<string, z.output<S>>;
  return { items: [body[one]!], bulk: false };
}
