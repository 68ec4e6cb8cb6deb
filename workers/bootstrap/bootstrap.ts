/**
 * First start: the catalogue (regions, zones, flavors, public images, prices) from the seed files, the system
 * roles, the operator's account with its `te_admin` user, and a demo customer account, each with a project per
 * region named after the region. Idempotent: a second run changes nothing unless asked to.
 */
import { and, eq } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import { hexId, stableId } from '../../core/ids.ts';
import { unitPriceOf } from '../../core/money.ts';
import * as t from '../../schema/global.ts';
import flavorSeed from '../../seed/flavors.json';
import imageSeed from '../../seed/images.json';
import priceSeed from '../../seed/prices.json';
import regionSeed from '../../seed/regions.json';
import { userGuard } from '../auth/guard.ts';
import { SYSTEM_ROLES, systemRoleId } from '../auth/policy.ts';
import type { Directory } from '../directory/client.ts';
import { revokeUserTokens } from '../iam/changes.ts';
import { hashPassword, randomToken, seal } from '../lib/crypto.ts';

export interface BootstrapAccount {
  /** Domain (account) name. */
  domain: string;
  user: string;
  /** Password to set when the user is created, or always when `force` is set. */
  password: string;
  forcePassword?: boolean;
  operator?: boolean;
  /** Create a fresh AK/SK for the user even if it already has the bootstrap one. */
  rotateCredential?: boolean;
}

export interface BootstrappedAccount {
  domainId: string;
  domain: string;
  userId: string;
  user: string;
  projects: { id: string; name: string }[];
  /** Present only when an AK/SK was created by this run (the secret is never shown again). */
  credential?: { access: string; secret: string };
}

const BOOTSTRAP_CREDENTIAL = 'created at bootstrap';

async function seedCatalogue(env: Env, db: Directory): Promise<void> {
  // The seed's prices take effect when first published here, unless the deployment dates its list earlier
  // (SEED_PRICES_FROM: tests and demos rate months before their first start).
  const publishedAt = env.SEED_PRICES_FROM ? new Date(env.SEED_PRICES_FROM).toISOString() : new Date().toISOString();
  const stmts = [
    ...regionSeed.flatMap((r) => [
      db.insert(t.regions).values({ id: r.id, description: r.description }).onConflictDoNothing(),
      ...r.zones.map((z) => db.insert(t.zones).values({ id: z, regionId: r.id }).onConflictDoNothing()),
    ]),
    ...flavorSeed.map((f) =>
      db
        .insert(t.flavors)
        .values({ ...f, id: f.name, extraSpecs: JSON.stringify(f.extraSpecs) })
        .onConflictDoNothing(),
    ),
    ...imageSeed.map((i) =>
      db
        .insert(t.publicImages)
        .values({ ...i, id: stableId(`image:${i.name}`) })
        .onConflictDoNothing(),
    ),
    // A seed line takes effect when it is first published here; a later start keeps that date.
    ...priceSeed.flatMap((p) => {
      const id = stableId(`price:${p.service}:${p.product}:${p.regionId}:${p.billingMode}`);
      return [
        db
          .insert(t.prices)
          .values({ ...p, id, effectiveFrom: publishedAt })
          .onConflictDoNothing(),
        // The line's first revision, the one prices are computed from (workers/billing/price-list.ts).
        db
          .insert(t.priceRevisions)
          .values({
            id: `${id}:initial`,
            lineId: id,
            unitPrice: Number(unitPriceOf(p.priceEur)),
            kind: 'initial',
            effectiveFrom: publishedAt,
            publishedAt,
          })
          .onConflictDoNothing(),
      ];
    }),
    ...SYSTEM_ROLES.map((r) =>
      db
        .insert(t.roles)
        .values({ id: systemRoleId(r.name), name: r.name, domainId: '', description: r.description })
        .onConflictDoNothing(),
    ),
  ];
  await db.batch(stmts as unknown as Parameters<typeof db.batch>[0]);
}

async function ensureAccount(env: Env, db: Directory, a: BootstrapAccount): Promise<BootstrappedAccount> {
  let domain = await db.select().from(t.domains).where(eq(t.domains.name, a.domain)).get();
  if (!domain) {
    [domain] = await db
      .insert(t.domains)
      .values({ id: hexId(), name: a.domain, isOperator: a.operator ?? false })
      .returning();
  }
  const domainId = domain!.id;
  const projects = [];
  for (const region of regionSeed) {
    await db.insert(t.projects).values({ id: hexId(), domainId, name: region.id, regionId: region.id }).onConflictDoNothing();
    const p = await db
      .select()
      .from(t.projects)
      .where(and(eq(t.projects.domainId, domainId), eq(t.projects.name, region.id)))
      .get();
    projects.push({ id: p!.id, name: p!.name });
  }
  let user = await db
    .select()
    .from(t.users)
    .where(and(eq(t.users.domainId, domainId), eq(t.users.name, a.user)))
    .get();
  if (!user) {
    const hash = await hashPassword(a.password);
    [user] = await db
      .insert(t.users)
      .values({
        id: hexId(),
        domainId,
        name: a.user,
        passwordHash: hash,
        passwordChangedAt: new Date().toISOString(),
        defaultProjectId: projects[0]?.id,
      })
      .returning();
  } else if (a.forcePassword) {
    await db
      .update(t.users)
      .set({ passwordHash: await hashPassword(a.password), passwordChangedAt: new Date().toISOString() })
      .where(eq(t.users.id, user.id));
    await revokeUserTokens(env, user.id, 'password set at bootstrap');
    await userGuard(env, user.id).unlock();
  }
  const userId = user!.id;
  await db
    .insert(t.roleAssignments)
    .values({ roleId: systemRoleId('te_admin'), actorType: 'user', actorId: userId, targetType: 'domain', targetId: domainId })
    .onConflictDoNothing();
  const result: BootstrappedAccount = { domainId, domain: a.domain, userId, user: a.user, projects };
  const existing = await db
    .select()
    .from(t.credentials)
    .where(and(eq(t.credentials.userId, userId), eq(t.credentials.description, BOOTSTRAP_CREDENTIAL)))
    .get();
  if (!existing || a.rotateCredential) {
    if (existing) await db.delete(t.credentials).where(eq(t.credentials.access, existing.access));
    const access = randomAccessKey();
    const secret = randomToken(30);
    await db
      .insert(t.credentials)
      .values({ access, userId, description: BOOTSTRAP_CREDENTIAL, secretSealed: await seal(secret, env.PLATFORM_KEY) });
    result.credential = { access, secret };
  }
  return result;
}

/** A 20-character upper-case access key, as Flexible Engine issues them. */
export function randomAccessKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(crypto.getRandomValues(new Uint8Array(20)), (b) => alphabet[b % alphabet.length]).join('');
}

/** Seeds the catalogue and ensures the given accounts exist. */
export async function bootstrap(env: Env, db: Directory, accounts: BootstrapAccount[]): Promise<BootstrappedAccount[]> {
  await seedCatalogue(env, db);
  const out = [];
  for (const a of accounts) out.push(await ensureAccount(env, db, a));
  return out;
}
