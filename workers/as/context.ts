/** The project's AsDO, for Auto Scaling's routes. */
import type { AppContext } from '../lib/app.ts';
import { projectScope } from '../lib/tenant.ts';

export const asOf = (c: AppContext) => c.env.AS.getByName(projectScope(c).projectId);
