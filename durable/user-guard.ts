/**
 * UserGuardDO: one per user. The only writer of that user's token revocations and sign-in failures.
 * Every authenticated request asks it (from memory, no I/O) whether its token still stands, so revocation
 * takes effect at once without a directory read.
 */
import { lt } from 'drizzle-orm';
import type { Env } from '../core/env.ts';
import migrations from '../schema/migrations/user-guard/migrations.js';
import { revocationEvents, revokedTokens, signInFailures } from '../schema/user-guard.ts';
import { SqliteObject } from './lib/sqlite-object.ts';

/** Failed sign-ins in a row before the account is locked. */
export const LOCKOUT_THRESHOLD = 5;
/** How long a lock lasts. */
export const LOCKOUT_MS = 15 * 60 * 1000;
/** Revocation events are kept this long: longer than any token can live. */
const EVENT_RETENTION_MS = 8 * 24 * 3600 * 1000;

interface RevocationEvent {
  issuedBefore: number;
  projectId: string | null;
}

export class UserGuardDO extends SqliteObject {
  private revoked = new Map<string, number>();
  private events: RevocationEvent[] = [];
  private failures = { count: 0, lockedUntil: 0 };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  /** Loads the revocations and failures into memory: every request's check reads them from there. */
  protected override started(): void {
    for (const r of this.db.select().from(revokedTokens).all()) this.revoked.set(r.jti, r.expiresAt);
    this.events = this.db.select().from(revocationEvents).all();
    const f = this.db.select().from(signInFailures).get();
    if (f) this.failures = { count: f.count, lockedUntil: f.lockedUntil ?? 0 };
  }

  /** Whether a token (id, issue time in ms, scoped project) still stands. */
  isValid(jti: string | undefined, issuedAtMs: number, projectId?: string): boolean {
    if (jti && this.revoked.has(jti)) return false;
    return !this.events.some((e) => issuedAtMs <= e.issuedBefore && (e.projectId === null || e.projectId === projectId));
  }

  /** Revokes one token until it would have expired (epoch ms). */
  async revokeToken(jti: string, expiresAtMs: number): Promise<void> {
    this.revoked.set(jti, expiresAtMs);
    this.db.insert(revokedTokens).values({ jti, expiresAt: expiresAtMs }).onConflictDoNothing().run();
    await this.scheduleCleanup(expiresAtMs);
  }

  /** Revokes every token issued until now (for one project when given): password change, disable, role removal. */
  async revokeAll(reason: string, projectId?: string): Promise<void> {
    const event = { issuedBefore: Date.now(), projectId: projectId ?? null };
    this.events.push(event);
    this.db
      .insert(revocationEvents)
      .values({ ...event, reason })
      .run();
    await this.scheduleCleanup(event.issuedBefore + EVENT_RETENTION_MS);
  }

  /** Whether the user may try a password now (false while locked after repeated failures). */
  signInAllowed(): boolean {
    return this.failures.lockedUntil <= Date.now();
  }

  /** Records the outcome of a password check; too many failures in a row lock the user for a while. */
  recordSignIn(ok: boolean): { locked: boolean } {
    if (ok) {
      this.failures = { count: 0, lockedUntil: 0 };
    } else {
      const count = this.failures.count + 1;
      const lockedUntil = count >= LOCKOUT_THRESHOLD ? Date.now() + LOCKOUT_MS : this.failures.lockedUntil;
      this.failures = { count: count >= LOCKOUT_THRESHOLD ? 0 : count, lockedUntil };
    }
    const row = { id: 1, count: this.failures.count, lockedUntil: this.failures.lockedUntil };
    this.db.insert(signInFailures).values(row).onConflictDoUpdate({ target: signInFailures.id, set: row }).run();
    return { locked: this.failures.lockedUntil > Date.now() };
  }

  /** Lifts a lock (an administrator reset the password or re-enabled the user). */
  unlock(): void {
    this.recordSignIn(true);
  }

  override async alarm(): Promise<void> {
    this.alarmSpent();
    const now = Date.now();
    for (const [jti, exp] of this.revoked) if (exp < now) this.revoked.delete(jti);
    this.db.delete(revokedTokens).where(lt(revokedTokens.expiresAt, now)).run();
    this.events = this.events.filter((e) => e.issuedBefore + EVENT_RETENTION_MS >= now);
    this.db
      .delete(revocationEvents)
      .where(lt(revocationEvents.issuedBefore, now - EVENT_RETENTION_MS))
      .run();
    const next = Math.min(...this.revoked.values(), ...this.events.map((e) => e.issuedBefore + EVENT_RETENTION_MS));
    if (Number.isFinite(next)) await this.setAlarm(next + 1000);
  }

  /** Cleans up a second after `at`, or sooner if a cleanup is due sooner. */
  private async scheduleCleanup(at: number): Promise<void> {
    await this.alarmBy(at + 1000);
  }
}
