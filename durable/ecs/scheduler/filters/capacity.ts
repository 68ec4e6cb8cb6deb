/**
 * Filter: the host has room for the request, its vCPUs, RAM and disk each overcommitted by the host's ratio; a
 * bare-metal host takes one server, whatever its size.
 */
import type { HostFilter } from '../request.ts';

export const capacity: HostFilter = (h, { req }) => {
  if (h.kind === 'baremetal') return h.used.count === 0;
  return (
    h.used.vcpus + req.vcpus <= h.vcpus * h.cpuRatio &&
    h.used.ramMb + req.ramMb <= h.ramMb * h.ramRatio &&
    h.used.diskGb + req.diskGb <= h.diskGb * h.diskRatio
  );
};
