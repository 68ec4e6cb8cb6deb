/**
 * The caller's project and its TenantDO: every regional API works inside one project, the one the token is
 * scoped to (or the AK/SK request names), and talks to that project's Durable Object only through here.
 */
import { REGIONS } from '../../core/regions.ts';
import { type Result, valueOr } from '../../core/result.ts';
import type { AppContext } from './app.ts';
import { ApiError, forbidden } from './errors.ts';

export interface ProjectScope {
  projectId: string;
  projectName: string;
  region: string;
}

/** The region a project lives in: Flexible Engine names projects after their region (`eu-west-0`, `eu-west-0_dev`). */
export function regionOfProject(name: string, fallback: string): string {
  return REGIONS.find((r) => name === r || name.startsWith(`${r}_`)) ?? fallback;
}

/** The project the request works in; a path `{project_id}` must be the token's own. */
export function projectScope(c: AppContext): ProjectScope {
  const p = c.var.principal;
  if (p.scope.type !== 'project') throw forbidden('This API needs a project-scoped token.');
  const inPath = c.req.param('project_id');
  if (inPath !== undefined && inPath !== p.scope.projectId)
    throw forbidden(`The project ${inPath} in the path is not the project of the token.`);
  return {
    projectId: p.scope.projectId,
    projectName: p.scope.projectName,
    region: regionOfProject(p.scope.projectName, c.env.DEFAULT_REGION),
  };
}

/** The TenantDO of the caller's project. */
export function tenant(c: AppContext) {
  return c.env.TENANT.getByName(projectScope(c).projectId);
}

/** The value of a Durable Object's result, or the ApiError it stands for. */
export function unwrap<T>(r: Result<T>): T {
  return valueOr(r, (e) => new ApiError(e.status, e.message, e.kind));
}
