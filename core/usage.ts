/**
 * Usage events: what a resource's lifecycle says about what it costs, written by its owner in the same
 * transaction as the change (an outbox), so that an event exists exactly when the change does. Billing rates
 * them; a meter is a quantity held over time (`start`, `change`, `stop`) or a count (`once`).
 */

/** The meters the services emit, each with its unit. */
export const METERS = {
  /** A volume's size while it exists, by type: GB held over hours. */
  'evs.volume': 'GB',
  'evs.snapshot': 'GB',
  'vbs.backup': 'GB',
  /** A private image's stored bytes. */
  'ims.image': 'GB',
} as const;
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
