/** Weigher: a server group's soft policies prefer the group's hosts (soft-affinity) or the others (soft-anti-affinity). */
import type { HostWeigher } from '../request.ts';

export const softGroup: HostWeigher = (h, { req, groupHosts }) => {
  if (req.group?.policy === 'soft-affinity') return groupHosts.has(h.id) ? 1 : 0;
  if (req.group?.policy === 'soft-anti-affinity') return groupHosts.has(h.id) ? 0 : 1;
  return 0;
};
