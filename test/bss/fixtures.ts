/** Billing test fixtures: usage events written straight into the ledger, so that past months can be rated. */
import type { Meter, UsageAction } from '../../core/usage.ts';
import { usageLedger } from '../../schema/global.ts';
import { directory } from '../../workers/directory/client.ts';
import { bindings } from '../ecs/fixtures.ts';

/** One event as a test writes it: its id (made unique per account), meter, resource, action, quantity and time. */
export interface LedgerEvent {
  id: string;
  meter: Meter;
  resource: string;
  action: UsageAction;
  quantity: number;
  at: string;
  attributes?: Record<string, string>;
}

/** Writes events into the account's ledger for its project in eu-west-0. */
export async function writeLedger(domainId: string, projectId: string, events: LedgerEvent[]): Promise<void> {
  const db = await directory(bindings);
  await db.insert(usageLedger).values(
    events.map((e) => ({
      eventId: `${domainId}:${e.id}`,
      domainId,
      projectId,
      regionId: 'eu-west-0',
      meter: e.meter,
      resourceId: e.resource,
      action: e.action,
      quantity: e.quantity,
      attributes: e.attributes ?? {},
      at: e.at,
    })),
  );
}
