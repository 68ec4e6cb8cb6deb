/**
 * The region's public address pool as Neutron shows it: a shared external network named `admin_external_net`
 * (as in Flexible Engine) with one subnet per pool block. It belongs to no tenant and cannot be changed.
 */

import { stableId } from '../../core/ids.ts';
import { formatIp, lastIp } from '../../core/ipv4.ts';
import { poolBlocks } from '../../durable/eip-pool.ts';

export const EXTERNAL_NETWORK_NAME = 'admin_external_net';

/** The external network of a region, with its subnets. */
export function externalNetwork(region: string) {
  const blocks = poolBlocks(region);
  return {
    id: stableId(`external-network:${region}`),
    name: EXTERNAL_NETWORK_NAME,
    subnets: blocks.map((b) => ({
      id: stableId(`external-subnet:${region}:${b.text}`),
      cidr: b.text,
      gatewayIp: formatIp(b.network + 1),
      pool: { start: formatIp(b.network + 2), end: formatIp(lastIp(b) - 1) },
    })),
  };
}

/** Whether an id names a region's external network. */
export function isExternalNetwork(region: string, id: string): boolean {
  return externalNetwork(region).id === id;
}
