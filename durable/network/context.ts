/** What every network and compute module of the TenantDO works with: the tenant's database and the clock. */
import type { OpContext } from '../lib/sqlite-object.ts';

export type Ctx = OpContext;
