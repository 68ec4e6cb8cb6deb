/** Keystone v3 JSON shapes of the identity objects (a view over the directory rows). */
import type { Credential, Domain, Group, Project, Role, User } from '../../schema/global.ts';
import type { Principal } from '../auth/principal.ts';
import { keystoneTime } from '../lib/time.ts';
import { catalog } from './catalog.ts';

const self = (origin: string, path: string) => ({ self: `${origin}/iam/v3/${path}` });

/** The collection links object Keystone puts beside every list. */
export function collectionLinks(origin: string, path: string, next?: string) {
  return { self: `${origin}/iam/v3/${path}`, previous: null, next: next ?? null };
}

export function domainView(origin: string, d: Domain) {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    enabled: d.enabled,
    tags: [],
    options: {},
    links: self(origin, `domains/${d.id}`),
  };
}

export function projectView(origin: string, p: Project) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    domain_id: p.domainId,
    enabled: p.enabled,
    is_domain: false,
    parent_id: p.parentId ?? p.domainId,
    tags: [],
    options: {},
    links: self(origin, `projects/${p.id}`),
  };
}

export function userView(origin: string, u: User) {
  return {
    id: u.id,
    name: u.name,
    domain_id: u.domainId,
    enabled: u.enabled,
    description: u.description,
    email: u.email ?? undefined,
    default_project_id: u.defaultProjectId ?? undefined,
    password_expires_at: null,
    options: {},
    links: self(origin, `users/${u.id}`),
  };
}

export function groupView(origin: string, g: Group) {
  return { id: g.id, name: g.name, domain_id: g.domainId, description: g.description, links: self(origin, `groups/${g.id}`) };
}

export function roleView(origin: string, r: Role) {
  return {
    id: r.id,
    name: r.name,
    domain_id: r.domainId || null,
    description: r.description,
    options: {},
    links: self(origin, `roles/${r.id}`),
  };
}

/** A Flexible Engine AK/SK credential (never its secret, except in the creation answer). */
export function credentialView(c: Credential, secret?: string) {
  return {
    access: c.access,
    user_id: c.userId,
    description: c.description,
    status: c.status,
    create_time: `${c.createdAt.slice(0, 23)}000Z`,
    last_use_time: c.lastUseTime ?? undefined,
    ...(secret ? { secret } : {}),
  };
}

/** The `token` body of a Keystone token response, rebuilt from the principal. */
export function tokenView(origin: string, p: Principal, withCatalog: boolean) {
  const scope =
    p.scope.type === 'project'
      ? {
          project: {
            id: p.scope.projectId,
            name: p.scope.projectName,
            domain: { id: p.scope.domainId, name: p.scope.domainName },
          },
          is_domain: false,
        }
      : p.scope.type === 'domain'
        ? { domain: { id: p.scope.domainId, name: p.scope.domainName } }
        : {};
  const projectId = p.scope.type === 'project' ? p.scope.projectId : undefined;
  return {
    token: {
      methods: p.methods,
      user: { id: p.userId, name: p.userName, domain: { id: p.domainId, name: p.domainName }, password_expires_at: null },
      audit_ids: [p.tokenId],
      issued_at: keystoneTime(p.issuedAtMs),
      expires_at: keystoneTime(p.expiresAtMs),
      ...scope,
      ...(p.scope.type === 'unscoped' ? {} : { roles: p.roles }),
      ...(withCatalog && p.scope.type !== 'unscoped' ? { catalog: catalog(origin, projectId) } : {}),
    },
  };
}
