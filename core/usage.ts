/**
 * Usage events: what a resource's lifecycle says about what it costs, written by its owner in the same
 * transaction as the change (an outbox), so that an event exists exactly when the change does. Billing rates
 * them; a meter is a quantity held over time (`start`, `change`, `stop`) or a count (`once`).
 */

/**
 * The meters the services emit. A `held` meter is a quantity held over time (`start`, `change`, `stop`): billing
 * integrates it into quantity-seconds. A `count` meter is summed (`once` events: bytes moved, requests).
 * `scale` turns the event's quantity into an integer of the meter's base unit, so rollups are exact integers.
 */
export const METERS = {
  /** A server while it runs (pay per use compute; a stopped server is not charged for it): attributes `flavor`,
   * `licence` (the image's chargeable OS licence, empty when free: clause 1.2.3.11). Quantity 1. */
  'ecs.server': { kind: 'held', unit: 'server', scale: 1 },
  /** A volume's size while it exists, by type: GB held over hours. */
  'evs.volume': { kind: 'held', unit: 'GB', scale: 1 },
  'evs.snapshot': { kind: 'held', unit: 'GB', scale: 1 },
  'vbs.backup': { kind: 'held', unit: 'GB', scale: 1 },
  /** A private image's stored size, in GB (2^30 bytes); its base unit is the byte. */
  'ims.image': { kind: 'held', unit: 'byte', scale: 2 ** 30 },
  /** An elastic IP while it is allocated (bound or not). */
  'vpc.eip': { kind: 'held', unit: 'address', scale: 1 },
  /** An EIP's bandwidth size while it exists, in Mbit/s (attribute `charge_mode`: bandwidth or traffic). */
  'vpc.bandwidth': { kind: 'held', unit: 'Mbit/s', scale: 1 },
  /** Outbound traffic to public addresses, in bytes (clause 1.2.3.23; inbound is free). */
  'vpc.traffic': { kind: 'count', unit: 'byte', scale: 1 },
  /** A VPN connection while it exists (clause 1.2.3.21). */
  'vpc.vpn': { kind: 'held', unit: 'connection', scale: 1 },
  /** A shared load balancer while it exists, from its create to its removal (clause 1.2.3.7). Quantity 1. */
  'elb.loadbalancer': { kind: 'held', unit: 'load balancer', scale: 1 },
  /** OBS, taken from each bucket's hourly meters once the hour is over (clause 1.2.3.10: the size of the files
   * hosted): bytes stored x seconds, by `storage_class`; requests; and bytes sent out. */
  'obs.storage': { kind: 'count', unit: 'byte-second', scale: 1 },
  'obs.requests': { kind: 'count', unit: 'request', scale: 1 },
  'obs.egress': { kind: 'count', unit: 'byte', scale: 1 },
  /** A notification SMN delivered to an endpoint, by `protocol` (http, https): email and SMS are kept in an outbox,
   * not sent, so they are not metered. */
  'smn.notification': { kind: 'count', unit: 'notification', scale: 1 },
} as const satisfies Record<string, { kind: 'held' | 'count'; unit: string; scale: number }>;
export type Meter = keyof typeof METERS;

/** What happened to the metered quantity. */
export type UsageAction = 'start' | 'change' | 'stop' | 'once';

export interface UsageEvent {
  /** Unique per event and stable under redelivery: `<resource id>:<what>:<sequence>`. */
  id: string;
  meter: Meter;
  resourceId: string;
  action: UsageAction;
  /** The quantity from now on (0 on `stop`), in the meter's unit. */
  quantity: number;
  /** What rates it: the volume type, the image's OS licence. */
  attributes: Record<string, string>;
  at: string;
}
