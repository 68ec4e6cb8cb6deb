/**
 * EipPoolDO: one per region, the only writer of which public address belongs to which Elastic IP. Allocation
 * is idempotent per EIP id (a retried or redelivered request gets the same address) and an address is never
 * held by two EIPs at once (it is the table's primary key). A refusal comes back as the Neutron error the
 * tenant answers with.
 */
import { asc, eq } from 'drizzle-orm';
import type { Env } from '../core/env.ts';
import { type Cidr, formatIp, lastIp, parseCidr, parseIp } from '../core/ipv4.ts';
import { DomainError, type Result } from '../core/result.ts';
import { heldAddresses } from '../schema/eip-pool.ts';
import migrations from '../schema/migrations/eip-pool/migrations.js';
import regions from '../seed/regions.json';
import { SqliteObject } from './lib/sqlite-object.ts';

/** The pool's blocks for a region, as the seed lists them. */
export function poolBlocks(region: string): Cidr[] {
  const r = regions.find((x) => x.id === region);
  return (r?.publicPool ?? []).map((t) => parseCidr(t)!);
}

export class EipPoolDO extends SqliteObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  /**
   * Holds an address for an Elastic IP (the same one again if it already holds one); a wanted address must be
   * free and in the pool.
   */
  allocate(region: string, eipId: string, projectId: string, wanted?: string): Result<{ address: string }> {
    return this.run(({ db, now }) => {
      const held = db.select().from(heldAddresses).where(eq(heldAddresses.eipId, eipId)).get();
      if (held) return { address: formatIp(held.ip) };
      const blocks = poolBlocks(region);
      let ip: number | null;
      if (wanted) {
        ip = parseIp(wanted);
        if (ip === null || !blocks.some((b) => ip! > b.network && ip! < lastIp(b)))
          throw new DomainError(400, 'InvalidIpAddress', `IP address ${wanted} is not in the public pool.`);
        if (db.select().from(heldAddresses).where(eq(heldAddresses.ip, ip)).get())
          throw new DomainError(409, 'IpAddressInUse', `IP address ${wanted} is already in use.`);
      } else {
        ip = this.firstFree(blocks);
        if (ip === null) throw new DomainError(409, 'IpAddressGenerationFailure', 'No more public IP addresses are available in the pool.');
      }
      db.insert(heldAddresses).values({ ip, eipId, projectId, heldAt: now }).run();
      return { address: formatIp(ip) };
    });
  }

  /** Returns an Elastic IP's address to the pool; releasing twice is harmless. */
  release(eipId: string): void {
    this.db.delete(heldAddresses).where(eq(heldAddresses.eipId, eipId)).run();
  }

  /** How many addresses are held and how many the pool has. */
  usage(region: string): { held: number; total: number } {
    const held = this.db.select({ ip: heldAddresses.ip }).from(heldAddresses).all().length;
    const total = poolBlocks(region).reduce((n, b) => n + 2 ** (32 - b.prefix) - 2, 0);
    return { held, total };
  }

  /** The lowest address not held, skipping each block's network and broadcast addresses. */
  private firstFree(blocks: Cidr[]): number | null {
    const held = this.db.select({ ip: heldAddresses.ip }).from(heldAddresses).orderBy(asc(heldAddresses.ip)).all();
    for (const b of blocks) {
      let candidate = b.network + 1;
      for (const { ip } of held) {
        if (ip < candidate) continue;
        if (ip > candidate) break;
        candidate++;
      }
      if (candidate < lastIp(b)) return candidate;
    }
    return null;
  }
}
