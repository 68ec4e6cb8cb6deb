/**
 * Filter: a server group's hard policies. Affinity keeps the hosts the group is already on (any host for its first
 * member); anti-affinity keeps the others. The soft policies only weigh (weighers/server-group.ts).
 */
import type { HostFilter } from '../request.ts';

export const serverGroup: HostFilter = (h, { req, groupHosts }) => {
  if (req.group?.policy === 'affinity' && groupHosts.size) return groupHosts.has(h.id);
  if (req.group?.policy === 'anti-affinity') return !groupHosts.has(h.id);
  return true;
};
