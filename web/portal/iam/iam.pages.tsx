/**
 * The IAM pages, one router for both doors: the Customer Portal mounts it in the Cloud Store's shell, the Console
 * in its own. Each page calls the IAM use cases (workers/iam/usecases) behind the API's own policy actions.
 */
import { router } from '../../../workers/lib/app.ts';
import { credentialRoutes } from './credentials.page.tsx';
import { groupRoutes } from './groups.page.tsx';
import { passwordRoutes } from './password.page.tsx';
import { policyRoutes } from './policies.page.tsx';
import { profileRoutes } from './profile.page.tsx';
import type { IamShell } from './shell.tsx';
import { userRoutes } from './users.page.tsx';

export type { IamShell } from './shell.tsx';

/** The IAM pages under a shell; refusals render as the shell's pages. */
export function iamPages(shell: IamShell) {
  const r = router();
  r.onError((err, c) => shell.error(err, c));
  profileRoutes(r, shell);
  userRoutes(r, shell);
  groupRoutes(r, shell);
  policyRoutes(r, shell);
  credentialRoutes(r, shell);
  passwordRoutes(r, shell);
  return r;
}
