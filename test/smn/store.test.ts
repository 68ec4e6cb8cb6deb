/**
 * SMN in the Cloud Store: the Service Description has no clause of its own for it (its notifications are Cloud Eye's
 * "real-time notification", clause 1.2.3.12), so Cloud Eye's page shows the notification prices per region.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../request.ts';

describe('the Cloud Store', () => {
  it("shows SMN's notification prices on Cloud Eye's page, per region", async () => {
    const res = await call('/store/services/ces');
    const html = await res.text();
    expect(res.status).toBe(200);
    for (const region of ['eu-west-0', 'eu-west-1']) expect(html).toContain(`<caption>Prices in ${region}</caption>`);
    expect(html).toMatch(/<th scope="row">https<\/th><td class="num">€0\.55 per 1M notifications<\/td>/);
    expect(html).not.toContain('This feature has no price of its own');
  });
});
