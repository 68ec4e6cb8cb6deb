/** Filter: the host is enabled (operators), its agent alive, and not one the request avoids (a failed host). */
import type { HostFilter } from '../request.ts';

export const enabledAlive: HostFilter = (h, { req }) => h.enabled && h.alive && !req.avoid?.includes(h.id);
