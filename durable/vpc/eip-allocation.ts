/**
 * The Elastic IP sagas: an address comes from the region's EipPoolDO between two steps in the tenant. Each
 * step is idempotent per EIP id, and the alarm finishes one that a crash interrupted.
 */
import { lt } from 'drizzle-orm';
import { elasticIps } from '../../schema/tenant.ts';
import type { Saga } from './context.ts';
import * as eips from './eips.ts';
import { port } from './ports.ts';

/** How often unfinished Elastic IP steps are retried. */
export const RECONCILE_MS = 5_000;

export interface AllocateOptions {
  address?: string;
  portId?: string;
  fixedIp?: string;
}

const pool = (s: Saga, region: string) => s.env.EIP_POOL.getByName(region);

/**
 * Allocates an Elastic IP: reserve it here (quota), take an address from the region's pool, then record it,
 * bound to a port if one is given. A crash between the steps is finished by the alarm; a failed pool step
 * leaves nothing behind.
 */
export async function allocateEip(s: Saga, input: eips.EipInput, projectId: string, options: AllocateOptions = {}) {
  if (options.portId) {
    const check = s.run((ctx) => port(ctx, options.portId!));
    if ('error' in check) return check;
  }
  const reserved = s.run((ctx) => eips.reserveEip(ctx, input));
  if ('error' in reserved) return reserved;
  await s.reconcileLater();
  const got = await pool(s, input.region).allocate(input.region, input.id, projectId, options.address);
  if ('error' in got) {
    s.run((ctx) => eips.dropEip(ctx, input.id));
    return got;
  }
  const done = s.run((ctx) => {
    const row = eips.completeEip(ctx, input.id, got.ok.address);
    return options.portId ? eips.bindEip(ctx, input.id, options.portId, options.fixedIp) : row;
  });
  if ('ok' in done && done.ok.status === 'PENDING_DELETE') await finishRelease(s, done.ok.id, done.ok.region);
  return done;
}

/** Releases an Elastic IP: unbind and mark it, return the address to the pool, then forget it. */
export async function releaseEip(s: Saga, id: string) {
  const marked = s.run((ctx) => eips.beginRelease(ctx, id));
  if ('error' in marked) return marked;
  await s.reconcileLater();
  await finishRelease(s, id, marked.ok.region);
  return { ok: null };
}

async function finishRelease(s: Saga, id: string, region: string) {
  await pool(s, region).release(id);
  s.run((ctx) => eips.dropEip(ctx, id));
}

/** Finishes the Elastic IP steps a crash interrupted (older than RECONCILE_MS); true when some remain. */
export async function finishInterrupted(s: Saga): Promise<boolean> {
  const stale = new Date(Date.now() - RECONCILE_MS).toISOString();
  const unfinished = s.db
    .select()
    .from(elasticIps)
    .where(lt(elasticIps.updatedAt, stale))
    .all()
    .filter((e) => e.status.startsWith('PENDING_'));
  for (const e of unfinished) {
    if (e.status === 'PENDING_DELETE') {
      await finishRelease(s, e.id, e.region);
      continue;
    }
    // Ask the pool again: allocation is idempotent per EIP id, so this finds the address it may already hold.
    const got = await pool(s, e.region).allocate(e.region, e.id, s.projectId);
    if ('ok' in got) s.run((ctx) => eips.completeEip(ctx, e.id, got.ok.address));
    else s.run((ctx) => eips.dropEip(ctx, e.id));
  }
  return s.db
    .select()
    .from(elasticIps)
    .all()
    .some((e) => e.status.startsWith('PENDING_'));
}
