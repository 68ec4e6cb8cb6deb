/** Who is calling: the identity and scope established by a token or an AK/SK signature. */

export interface RoleRef {
  id: string;
  name: string;
}

export type Scope =
  | { type: 'project'; projectId: string; projectName: string; domainId: string; domainName: string }
  | { type: 'domain'; domainId: string; domainName: string }
  | { type: 'unscoped' };

export interface Principal {
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  /** The user belongs to the operator's account: te_admin there administers the whole cloud. */
  operator: boolean;
  scope: Scope;
  roles: RoleRef[];
  groupIds: string[];
  methods: string[];
  /** Token id (`jti`), absent for AK/SK-signed requests. */
  tokenId?: string;
  issuedAtMs: number;
  expiresAtMs: number;
}

/** The project a principal is scoped to, if any. */
export function scopedProjectId(p: Principal): string | undefined {
  return p.scope.type === 'project' ? p.scope.projectId : undefined;
}
