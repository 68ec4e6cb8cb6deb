/**
 * Filter: Dedicated Cloud tenancy. A dedicated server lands only on its project's dedicated hosts; a shared one on
 * shared hosts or its own project's dedicated ones, never another project's. A named host (dedicated_host_id) is
 * the only candidate.
 */
import type { HostFilter } from '../request.ts';

export const tenancy: HostFilter = (h, { req }) =>
  (req.dedicated ? h.dedicatedProject === req.projectId : h.dedicatedProject === null || h.dedicatedProject === req.projectId) &&
  (!req.hostId || h.id === req.hostId);
