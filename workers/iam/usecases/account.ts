/**
 * The signed-in user's view of its account: the account (domain), itself, its groups, and the account's projects
 * (Flexible Engine names a region's project after the region). Anyone signed in reads its own; nothing here
 * reaches another account.
 */
import { eq } from 'drizzle-orm';
import { type Domain, domains, type Group, type Project, projects, type User } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import type { IdentityCaller } from '../../lib/caller.ts';
import { notFound } from '../../lib/errors.ts';
import { visibleUser } from '../lookups.ts';
import { groupsOfUser } from './users.ts';

/** The caller's account, as its profile page shows it. */
export interface Profile {
  domain: Domain;
  user: User;
  groups: Group[];
  projects: Project[];
}

/** The caller's own account, user, groups and the account's projects. */
export async function profile(caller: IdentityCaller): Promise<Profile> {
  const db = await directory(caller.env);
  const p = caller.principal;
  const domain = await db.select().from(domains).where(eq(domains.id, p.domainId)).get();
  if (!domain) throw notFound(`Could not find domain: ${p.domainId}.`);
  const user = await visibleUser(db, p, p.userId);
  const { groups } = await groupsOfUser(caller, p.userId);
  const rows = await db.select().from(projects).where(eq(projects.domainId, domain.id)).orderBy(projects.name);
  return { domain, user, groups, projects: rows };
}
