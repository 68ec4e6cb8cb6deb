/**
 * SMN's usage in the ledger: each notification delivered to an HTTP(S) endpoint is one `smn.notification` event in
 * the project's SMN outbox, taken into the ledger once (its own cursor beside the TenantDO's), by protocol.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { usageLedger } from '../../schema/global.ts';
import { takeAll } from '../../workers/bss/ledger.ts';
import { directory } from '../../workers/directory/client.ts';
import { newAccount, tokenFor } from '../fixtures.ts';
import { bindings, confirmedWebhook, receiver, smn, topic, until } from './fixtures.ts';

describe('SMN usage in the ledger', () => {
  it('takes each delivered notification once, by protocol', async () => {
    const a = await newAccount('smnbill');
    const p = { token: await tokenFor(a), project: a.projects[0]!.id };
    const urn = await topic(p, 'billed');
    const hook = receiver('billed.test');
    await confirmedWebhook(p, urn, hook, 'http://billed.test/in');
    await smn(p, 'POST', `/topics/${urn}/publish`, { message: 'one' });
    await smn(p, 'POST', `/topics/${urn}/publish`, { message: 'two' });
    await until(() => hook.received.length === 3, 'two notifications');
    const db = await directory(bindings);
    const mine = () =>
      db
        .select()
        .from(usageLedger)
        .where(and(eq(usageLedger.domainId, a.domainId), eq(usageLedger.meter, 'smn.notification')))
        .all();
    // The usage event is written when the endpoint's answer is recorded, a moment after it received the message.
    let taken = 0;
    for (let i = 0; i < 20 && (await mine()).length < 2; i++) {
      taken += await takeAll(bindings, a.domainId);
      await new Promise((r) => setTimeout(r, 50));
    }
    const rows = await mine();
    expect(rows.map((r) => [r.resourceId, r.action, r.quantity, r.attributes, r.projectId])).toEqual([
      [urn, 'once', 1, { protocol: 'http' }, p.project],
      [urn, 'once', 1, { protocol: 'http' }, p.project],
    ]);
    expect(taken).toBe(2);
    expect(await takeAll(bindings, a.domainId)).toBe(0);
  });
});
