/** Directory look-ups shared by the identity routes, each confined to what the caller may see. */
import { and, eq } from 'drizzle-orm';
import { domains, groups, projects, roles, users } from '../../schema/global.ts';
import type { Principal } from '../auth/principal.ts';
import type { Directory } from '../directory/client.ts';
import { notFound } from '../lib/errors.ts';

/** A domain by id or by name. */
export async function findDomain(db: Directory, ref: { id?: string; name?: string }) {
  if (ref.id) return db.select().from(domains).where(eq(domains.id, ref.id)).get();
  if (ref.name) return db.select().from(domains).where(eq(domains.name, ref.name)).get();
  return undefined;
}

/** Whether the caller may see objects of a domain: its own, or any for the operator. */
export function canSeeDomain(p: Principal, domainId: string): boolean {
  return p.operator || p.domainId === domainId;
}

/** The domain a listing is confined to: a non-operator sees only its own, whatever it asked. */
export function listingDomain(p: Principal, requested?: string): string | undefined {
  if (p.operator) return requested;
  return p.domainId;
}

async function visible<T extends { domainId: string }>(row: T | undefined, p: Principal, kind: string, id: string) {
  // Another account's object answers exactly like a missing one: existence is not revealed.
  if (!row || !canSeeDomain(p, row.domainId)) throw notFound(`Could not find ${kind}: ${id}.`);
  return row;
}

/** A user the caller may see, or 404. */
export async function visibleUser(db: Directory, p: Principal, id: string) {
  return visible(await db.select().from(users).where(eq(users.id, id)).get(), p, 'user', id);
}

/** A group the caller may see, or 404. */
export async function visibleGroup(db: Directory, p: Principal, id: string) {
  return visible(await db.select().from(groups).where(eq(groups.id, id)).get(), p, 'group', id);
}

/** A project the caller may see, or 404. */
export async function visibleProject(db: Directory, p: Principal, id: string) {
  return visible(await db.select().from(projects).where(eq(projects.id, id)).get(), p, 'project', id);
}

/** A role the caller may use: a system role, or a custom role of a domain it may see; else 404. */
export async function visibleRole(db: Directory, p: Principal, id: string) {
  const row = await db.select().from(roles).where(eq(roles.id, id)).get();
  if (!row || (row.domainId !== '' && !canSeeDomain(p, row.domainId))) throw notFound(`Could not find role: ${id}.`);
  return row;
}

/** A project by name within a domain. */
export async function projectByName(db: Directory, domainId: string, name: string) {
  return db
    .select()
    .from(projects)
    .where(and(eq(projects.domainId, domainId), eq(projects.name, name)))
    .get();
}
